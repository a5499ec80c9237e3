// `koa2` is Koa 2 installed under an alias, to run the suite on both majors; same API, same types.
declare module "koa2" {
  import Koa from "koa";
  export default Koa;
}
