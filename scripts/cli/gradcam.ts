import type { Command } from "commander";
export function registerGradcam(_program: Command): void {}
