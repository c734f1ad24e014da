import type { Role } from "../db/generated/enums";

// Where each role lands after signing in.
export const HOME_BY_ROLE: Record<Role, string> = {
  ADMIN: "/admin/users",
  COORDINATOR: "/coordinator",
  RESEARCHER: "/researcher",
  SPECIALIST: "/surveys",
};

export const ROLE_LABEL: Record<Role, string> = {
  ADMIN: "Administrator",
  COORDINATOR: "Study coordinator",
  RESEARCHER: "Researcher",
  SPECIALIST: "Specialist",
};
