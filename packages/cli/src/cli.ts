#!/usr/bin/env node
import { processIo, quietWhenOutputGoes } from "./output.ts";
import { run } from "./program.ts";

quietWhenOutputGoes();
process.exitCode = await run(process.argv, processIo());
