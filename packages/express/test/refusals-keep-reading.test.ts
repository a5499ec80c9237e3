// Regression of issue 24: refusals keep reading (see conformance/refusals-close.ts).
import { testRefusalsClose } from "../../../conformance/refusals-close.ts";

testRefusalsClose("express");
