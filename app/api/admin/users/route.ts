import { NextResponse } from "next/server";
import { requireApiRole } from "@/lib/auth/session";
import { handle, parseJson } from "@/lib/http/handler";
import { createStaffUser, listUsers } from "@/lib/users/users";
import { staffUserInputSchema } from "@/lib/users/user-input";

export const dynamic = "force-dynamic";

export function GET() {
  return handle(async () => {
    await requireApiRole("ADMIN");
    return NextResponse.json({ users: await listUsers() }, { headers: { "Cache-Control": "private, no-store" } });
  });
}

export function POST(req: Request) {
  return handle(async () => {
    const admin = await requireApiRole("ADMIN");
    const input = await parseJson(req, staffUserInputSchema, "adminUser");
    return NextResponse.json({ user: await createStaffUser(input, admin.id) }, { status: 201 });
  });
}
