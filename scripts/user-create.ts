// npm run user:create -- --email a@b.org --role COORDINATOR --name "A. Person" [--password …]
// Without --password a strong one is generated and printed once.
import { randomBytes } from "node:crypto";
import { Command, InvalidArgumentError } from "commander";
import { prepareDatabase } from "../lib/db/prepare";
import { disconnectDb } from "../lib/db/client";
import { createStaffUser } from "../lib/users/users";
import { exitCodeOf } from "../lib/errors/exit-code";
import { reportFatal } from "./report-fatal";

const program = new Command("user:create")
  .description("Create a staff account (ADMIN, COORDINATOR or RESEARCHER).")
  .requiredOption("--email <email>", "sign-in email")
  .requiredOption("--role <role>", "ADMIN | COORDINATOR | RESEARCHER", (v) => {
    const r = v.toUpperCase();
    if (!["ADMIN", "COORDINATOR", "RESEARCHER"].includes(r))
      throw new InvalidArgumentError("must be ADMIN, COORDINATOR or RESEARCHER");
    return r;
  })
  .option("--name <name>", "display name (default: the part of the email before @)")
  .option("--password <password>", "at least 12 characters, not easy to guess (default: generated)")
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program.parse(process.argv);
const o = program.opts<{ email: string; role: string; name?: string; password?: string }>();
const password = o.password ?? randomBytes(12).toString("base64url");

try {
  const { embedded } = await prepareDatabase({ log: () => undefined });
  try {
    const user = await createStaffUser(
      { email: o.email, name: o.name ?? o.email.split("@")[0], role: o.role, password },
      null,
    );
    console.log(`Created ${user.role.toLowerCase()} ${user.email}${o.password ? "" : ` with password: ${password}`}`);
  } finally {
    await disconnectDb();
    await embedded?.stop();
  }
} catch (e) {
  reportFatal(e, exitCodeOf(e));
}
