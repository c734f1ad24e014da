// The screenshot generator runs with the browser tests' settings, on its own folder.
import { defineConfig } from "@playwright/test";
import e2e from "../../e2e/playwright.config";

export default defineConfig({ ...e2e, testDir: "." });
