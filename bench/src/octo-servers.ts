// The "with octoWebhooks" servers, one per framework (filled in as the adapters land).
export {};
