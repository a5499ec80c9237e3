// Express 4 and Koa 2 are installed under aliases, to run the suite on both majors; same API, same types.
declare module "express4" {
  import express from "express";
  export default express;
}
declare module "koa2" {
  import Koa from "koa";
  export default Koa;
}
