// The alert Lambda's deployment artifact: lambda/alert.ts bundled by esbuild into one small
// CommonJS file. The AWS SDK v3 is left out: the Node.js Lambda runtimes ship it, and leaving it
// out keeps the package a few kilobytes instead of megabytes.

import { buildSync } from "esbuild";
import { join } from "node:path";

export const ALERT_ENTRY = join(__dirname, "alert.ts");

export function bundleAlert(): string {
  const out = buildSync({
    entryPoints: [ALERT_ENTRY],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    sourcemap: false,
    external: ["@aws-sdk/*"],
    write: false,
    logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}
