import { testPathUnderPrefix } from "../../../conformance/path.ts";

testPathUnderPrefix("express");
