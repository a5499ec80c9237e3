/** A package under `packages/` that is published, with its manifest. */
export interface PublishablePackage {
  dir: string;
  path: string;
  manifest: { name: string; private?: boolean; [field: string]: unknown };
}

/** A packed package. */
export interface PackedPackage {
  name: string;
  dir: string;
  tarball: string;
}

export function publishablePackages(root: string): PublishablePackage[];
export function assertBuilt(pkg: PublishablePackage): void;
export function packPackages(root: string, destination: string): PackedPackage[];
