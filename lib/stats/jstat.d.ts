// The few jStat functions lib/stats uses (jstat ships no TypeScript declarations). Only
// t-and-f-distributions.ts imports the package; everything else goes through that module.
declare module "jstat" {
  interface JStat {
    /** Regularized incomplete beta I_x(a, b). */
    ibeta(x: number, a: number, b: number): number;
    /** Inverse of I_x(a, b) in x. */
    ibetainv(p: number, a: number, b: number): number;
  }
  const jStat: JStat;
  export default jStat;
}
