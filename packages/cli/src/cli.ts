#!/usr/bin/env node
import { processIo } from "./output.ts";
import { run } from "./program.ts";

process.exitCode = await run(process.argv, processIo());
