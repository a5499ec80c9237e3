// `express4` is Express 4 installed under an alias, to run the suite on both majors; same API, same types.
declare module "express4" {
  import express from "express";
  export default express;
}
