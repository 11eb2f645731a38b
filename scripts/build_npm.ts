// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Build the npm package into npm/: `deno task build:npm <version>`.
 *
 * - The version must equal deno.json's (one version source).
 * - Sources are compiled by `tsc` (npm typescript) with
 *   `rewriteRelativeImportExtensions`, to ESM with `.d.ts` files.
 * - package.json's `exports` are derived from deno.json's.
 * - README.md and LICENSE are copied.
 *
 * The build tools (typescript, @types/node) are installed with npm into
 * .build/npm-tools/ on first use; Node.js runs tsc.
 */
import { join } from "node:path";
import { ROOT } from "./_files.ts";

const TOOLS = join(ROOT, ".build", "npm-tools");
const OUT = join(ROOT, "npm");
const TSC_VERSION = "5.9.3";
const TYPES_NODE_VERSION = "20.19.25";
const KOFFI_VERSION = "^3.3.4";

async function sh(cmd: string, args: string[], cwd = ROOT): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stdin: "null" }).output();
  const text = new TextDecoder();
  if (out.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed:\n${text.decode(out.stdout)}${text.decode(out.stderr)}`,
    );
  }
  return text.decode(out.stdout);
}

async function ensureTools(): Promise<string> {
  const tsc = join(TOOLS, "node_modules", "typescript", "bin", "tsc");
  try {
    await Deno.stat(tsc);
    return tsc;
  } catch {
    // first build on this machine
  }
  await Deno.mkdir(TOOLS, { recursive: true });
  await Deno.writeTextFile(
    join(TOOLS, "package.json"),
    JSON.stringify({ private: true, type: "module" }),
  );
  await sh("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    `typescript@${TSC_VERSION}`,
    `@types/node@${TYPES_NODE_VERSION}`,
  ], TOOLS);
  return tsc;
}

/** Build the package; returns the output directory. */
export async function buildNpm(version: string): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  if (version !== config.version) {
    throw new Error(
      `Cannot build version "${version}": deno.json says "${config.version}" (the one version source)`,
    );
  }
  const exportsMap: Record<string, string> = config.exports;
  const tsc = await ensureTools();

  await Deno.remove(OUT, { recursive: true }).catch(() => {});
  await Deno.mkdir(OUT, { recursive: true });

  // Deno's own types let tsc check the Deno backends; they are not shipped.
  const denoTypes = join(TOOLS, "deno.d.ts");
  await Deno.writeTextFile(denoTypes, await sh(Deno.execPath(), ["types"]));

  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["ES2023", "ES2024.String", "DOM"],
      types: ["node"],
      typeRoots: [join(TOOLS, "node_modules", "@types")],
      strict: true,
      noUncheckedIndexedAccess: true,
      declaration: true,
      rewriteRelativeImportExtensions: true,
      allowImportingTsExtensions: false,
      skipLibCheck: true,
      outDir: OUT,
      rootDir: ROOT,
    },
    files: [...Object.values(exportsMap).map((p) => join(ROOT, p)), denoTypes],
  };
  const tsconfigPath = join(TOOLS, "tsconfig.build.json");
  await Deno.writeTextFile(tsconfigPath, JSON.stringify(tsconfig, null, 2));
  await sh("node", [tsc, "-p", tsconfigPath]);

  const pkgExports: Record<string, { types: string; default: string }> = {};
  for (const [key, path] of Object.entries(exportsMap)) {
    const base = path.replace(/\.ts$/, "");
    pkgExports[key] = { types: `${base}.d.ts`, default: `${base}.js` };
  }
  const pkg = {
    name: config.name,
    version,
    description:
      "Inter-process communication on Linux: Unix sockets with a versioned protocol, POSIX message queues, shared memory, semaphores and signals, and System V IPC.",
    license: config.license,
    type: "module",
    exports: pkgExports,
    os: ["linux"],
    engines: { node: ">=20.16" },
    dependencies: { koffi: KOFFI_VERSION },
    keywords: [
      "ipc",
      "unix-socket",
      "mqueue",
      "shared-memory",
      "semaphore",
      "signals",
      "sysv",
      "linux",
    ],
  };
  await Deno.writeTextFile(join(OUT, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  await Deno.copyFile(join(ROOT, "README.md"), join(OUT, "README.md"));
  await Deno.copyFile(join(ROOT, "LICENSE"), join(OUT, "LICENSE"));
  return OUT;
}

if (import.meta.main) {
  const version = Deno.args[0];
  if (!version) {
    console.error("usage: deno task build:npm <version>");
    Deno.exit(2);
  }
  try {
    const out = await buildNpm(version);
    console.log(`built ${out}`);
  } catch (err) {
    console.error((err as Error).message);
    Deno.exit(1);
  }
}
