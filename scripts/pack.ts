// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * `deno task pack`: build the npm package (the version in deno.json) and
 * `npm pack` it into .build/; prints the tarball's path and how to install it.
 */
import { join } from "node:path";
import { buildNpm } from "./build_npm.ts";
import { ROOT } from "./_files.ts";

const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
const out = await buildNpm(config.version);
const dest = join(ROOT, ".build");
const packed = await new Deno.Command("npm", {
  args: ["pack", "--silent", "--pack-destination", dest],
  cwd: out,
  stdin: "null",
  stderr: "inherit",
}).output();
if (packed.code !== 0) Deno.exit(packed.code);
const tarball = join(dest, new TextDecoder().decode(packed.stdout).trim().split("\n").pop()!);
console.log(tarball);
console.error(`install it in a Node.js or Bun project with: npm install ${tarball}`);
