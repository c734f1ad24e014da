// ESLint: typescript-eslint's type-aware rules, React hooks and Next's rules. `npm run lint` runs it
// with Prettier's check; both are part of `npm test`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import nextPlugin from "@next/eslint-plugin-next";
import globals from "globals";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".next*/",
      "lib/db/generated/",
      "native/**/build/",
      "data/",
      "test-results/",
      "playwright-report/",
      "bench/out/",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // Shapes and index lists print as their comma-joined elements, which is what every such message wants.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowArray: true }],
    },
  },
  {
    // node:test's test() and describe() return promises that the runner itself awaits.
    files: ["**/*.test.ts", "e2e/**/*.ts"],
    rules: { "@typescript-eslint/no-floating-promises": "off" },
  },
  {
    // PostgreSQL cannot store NUL in text; lib/validation/text.ts is the one text schema that refuses it.
    // Environment variables cannot hold NUL, so configuration may use z.string() directly, and so may the
    // parser of npm's own audit report.
    files: ["**/*.ts", "**/*.tsx"],
    ignores: [
      "lib/validation/text.ts",
      "lib/config/**",
      "lib/mail/mail-config.ts",
      "scripts/audit.ts",
      "**/*.test.ts",
      "e2e/**",
    ],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='z'][property.name='string']",
          message: "Use text() from lib/validation/text.ts: it refuses NUL characters, which PostgreSQL cannot store.",
        },
        {
          selector: "MemberExpression[object.object.name='z'][object.property.name='coerce'][property.name='string']",
          message: "Use text() from lib/validation/text.ts: it refuses NUL characters, which PostgreSQL cannot store.",
        },
      ],
    },
  },
  // Types are checked by tsc; ESLint's own no-undef does not know TypeScript's globals.
  { files: ["**/*.ts", "**/*.tsx"], rules: { "no-undef": "off" } },
  { files: ["**/*.mjs", "**/*.js", "**/*.cjs"], ...tseslint.configs.disableTypeChecked },
  // The plain JavaScript files (configs, the addon loader, the schema-engine glue) all run in Node.
  { files: ["**/*.mjs", "**/*.js", "**/*.cjs"], languageOptions: { globals: globals.node } },
  // CommonJS has no import statement; require() is how a .cjs file loads anything.
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
