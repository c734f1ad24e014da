import { createRequire } from "node:module";
const addon = createRequire(import.meta.url)("focus-native-kernels");
function t(name: string, g: number[], flops: number) {
  const [N,H,W,C,KH,KW,Co,OH,OW] = g;
  const x = new Float32Array(N*H*W*C).fill(0.5), w = new Float32Array(KH*KW*C*Co).fill(0.25), y = new Float32Array(N*OH*OW*Co);
  const geo = Int32Array.from(g);
  for (const [fn, a, b, o] of [["conv2d", x, w, y], ["conv2dBackpropFilter", x, y, w], ["conv2dBackpropInput", y, w, x]] as const) {
    addon[fn](a, b, o, geo);
    const t0 = performance.now(); const reps = 5; for (let i = 0; i < reps; i++) addon[fn](a, b, o, geo);
    const ms = (performance.now() - t0) / reps;
    console.log(name.padEnd(22), fn.padEnd(22), ms.toFixed(2), "ms", (flops / ms / 1e6).toFixed(1), "GFLOP/s");
  }
}
t("gemm1024", [1,32,32,1024,1,1,1024,32,32,1,1,0,0], 2*1024**3);
// w1 64px batch16 layers
t("layer1 3x3 64", [16,16,16,64,3,3,64,16,16,1,1,1,1], 2*16*16*16*64*9*64);
t("layer2 3x3 128", [16,8,8,128,3,3,128,8,8,1,1,1,1], 2*16*8*8*128*9*128);
t("layer3 3x3 256", [16,4,4,256,3,3,256,4,4,1,1,1,1], 2*16*4*4*256*9*256);
t("layer4 3x3 512", [16,2,2,512,3,3,512,2,2,1,1,1,1], 2*16*2*2*512*9*512);
t("stem 7x7 s2", [16,64,64,3,7,7,64,32,32,2,2,3,3], 2*16*32*32*3*49*64);
t("w.25 layer1 3x3 16", [16,16,16,16,3,3,16,16,16,1,1,1,1], 2*16*16*16*16*9*16);
