import { testPathUnderPrefix } from "../../../conformance/path.ts";

testPathUnderPrefix("fastify");
