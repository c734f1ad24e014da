// Prisma CLI configuration (Prisma 7 reads connection URLs from here, not from schema.prisma).
//
// Every CLI command first looks for the native schema-engine binary and, when it is missing,
// tries to download it from binaries.prisma.sh, which fails on air-gapped machines (design.md §7).
// In that case the CLI is pointed at prisma/schema-engine/engine.mjs, which speaks the same
// JSON-RPC through @prisma/schema-engine-wasm on a @prisma/adapter-pg connection. A native engine
// that is present, or an explicit PRISMA_SCHEMA_ENGINE_BINARY, always wins.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const projectRoot = dirname(fileURLToPath(import.meta.url));

// The places the CLI itself searches for `schema-engine-<platform>` (see @prisma/engines).
function nativeSchemaEngineInstalled(root: string): boolean {
  const searched = [
    join(root, "node_modules", "@prisma", "engines"),
    join(root, "node_modules", "prisma"),
    join(root, "node_modules"),
    join(root, "node_modules", "prisma", "runtime"),
  ];
  return searched.some((folder) => {
    if (!existsSync(folder)) return false;
    return readdirSync(folder).some(
      (name) => /^schema-engine-[\w.-]+?(\.exe)?$/.test(name) && !/\.(js|ts|wasm|map)$/.test(name),
    );
  });
}

const engineChosenByUser =
  Boolean(process.env.PRISMA_SCHEMA_ENGINE_BINARY) || Boolean(process.env.PRISMA_MIGRATION_ENGINE_BINARY);

if (!engineChosenByUser && !nativeSchemaEngineInstalled(projectRoot)) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = join(projectRoot, "prisma", "schema-engine", "engine.mjs");
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // `prisma generate` needs no URL; migrate/db commands fail with "Connection url is empty" without one.
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
