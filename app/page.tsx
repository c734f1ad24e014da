import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { HOME_BY_ROLE } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export default async function Home() {
  const user = await currentUser();
  redirect(user ? HOME_BY_ROLE[user.role] : "/signin");
}
