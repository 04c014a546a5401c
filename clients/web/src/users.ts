import { api, errorText, type Page } from "./api";
import { fmtDateTime, t, type TextKey } from "./i18n";
import { h } from "./ui";

interface User {
  id: string; email: string; displayName: string | null; role: string; provinceCode: string | null; communeCodes: string[];
  establishmentId: string | null; createdAt: string; lastLoginAt: string | null; disabledAt: string | null;
}

const roles: [string, TextKey][] = [["commune-officer", "roleOfficer"], ["province-supervisor", "roleSupervisor"], ["admin", "roleAdmin"],
  ["establishment-staff", "roleStaff"]];
const roleWord = (role: string): string => { const r = roles.find(([v]) => v === role); return r ? t(r[1]) : role; };

/** The admins' users screen: who signs in, in what role and where; create, disable or enable, set a new password. */
export function usersPanel(callerRole: string): HTMLElement {
  const panel = h("section", { class: "card", id: "users-panel", "aria-labelledby": "users-title" });
  void render(panel, callerRole);
  return panel;
}

async function render(panel: HTMLElement, callerRole: string): Promise<void> {
  const message = h("p", { role: "status", id: "users-message" });
  let page: Page<User>;
  try { page = await api<Page<User>>("/api/v1/users?limit=200"); }
  catch (err) { panel.replaceChildren(h("h2", { id: "users-title" }, t("usersTitle")), h("p", { class: "error", role: "alert" }, errorText(err))); return; }

  const email = h("input", { id: "new-user-email", type: "email", maxLength: 254, autocomplete: "off" });
  const name = h("input", { id: "new-user-name", type: "text", maxLength: 100 });
  const password = h("input", { id: "new-user-password", type: "password", maxLength: 128, autocomplete: "new-password" });
  // A province supervisor makes commune officers (and staff) of their province; admins anyone.
  const offered = callerRole === "admin" ? roles : roles.filter(([v]) => v === "commune-officer");
  const role = h("select", { id: "new-user-role" }, ...offered.map(([v, k]) => h("option", { value: v }, t(k))));
  const province = h("input", { id: "new-user-province", type: "text", maxLength: 2, placeholder: "01" });
  const communes = h("input", { id: "new-user-communes", type: "text", maxLength: 200, placeholder: "00070, 00082" });
  const create = h("form", { class: "row", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      await api("/api/v1/users", { method: "POST", json: {
        email: email.value.trim(), password: password.value, role: role.value, displayName: name.value.trim() || null,
        provinceCode: role.value === "province-supervisor" ? province.value.trim() || null : null,
        communeCodes: role.value === "commune-officer" ? communes.value.split(/[\s,;]+/).filter(Boolean) : null,
      } });
      await render(panel, callerRole);
      document.getElementById("users-message")!.textContent = `${t("userCreated")}: ${email.value.trim()}`;
    } catch (err) { message.textContent = errorText(err); }
  } },
    h("label", { for: "new-user-email" }, t("email")), email, h("label", { for: "new-user-name" }, t("displayName")), name,
    h("label", { for: "new-user-password" }, t("newPasswordHint")), password, h("label", { for: "new-user-role" }, t("role")), role,
    h("label", { for: "new-user-province" }, t("provinceCode")), province, h("label", { for: "new-user-communes" }, t("communeCodes")), communes,
    h("button", { type: "submit" }, t("createUser")));

  const act = async (u: User, path: string, json?: unknown) => {
    try {
      await api(`/api/v1/users/${u.id}/${path}`, { method: "POST", json: json ?? {} });
      await render(panel, callerRole);
      document.getElementById("users-message")!.textContent = `${u.email}: ${t("saved")}`;
    } catch (err) { message.textContent = errorText(err); }
  };
  const resetControl = (u: User) => {
    const field = h("input", { type: "password", "aria-label": `${t("newPassword")}: ${u.email}`, maxLength: 128, autocomplete: "new-password" });
    return h("span", { class: "inline" }, field,
      h("button", { type: "button", class: "secondary", onclick: () => void act(u, "password", { newPassword: field.value }) }, t("resetPassword")));
  };
  panel.replaceChildren(h("h2", { id: "users-title" }, t("usersTitle")), create, message,
    h("div", { class: "table-scroll" }, h("table", { id: "users" },
      h("thead", {}, h("tr", {}, ...(["email", "role", "area", "lastLogin", "status", "actions"] as TextKey[]).map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, ...page.items.map((u) => h("tr", { "data-user": u.email, class: u.disabledAt ? "cancelled" : "" },
        h("td", {}, u.displayName ? `${u.displayName} · ${u.email}` : u.email), h("td", {}, roleWord(u.role)),
        h("td", {}, u.role === "province-supervisor" ? `${t("province")} ${u.provinceCode ?? ""}` : u.communeCodes.join(", ") || "—"),
        h("td", {}, u.lastLoginAt ? fmtDateTime(u.lastLoginAt) : t("never")),
        h("td", {}, u.disabledAt ? t("userDisabled") : t("userActive")),
        h("td", {}, h("div", { class: "row" },
          u.disabledAt
            ? h("button", { type: "button", class: "secondary", "aria-label": `${t("enableUser")}: ${u.email}`, onclick: () => void act(u, "enable") }, t("enableUser"))
            : h("button", { type: "button", class: "danger", "aria-label": `${t("disableUser")}: ${u.email}`, onclick: () => void act(u, "disable") }, t("disableUser")),
          resetControl(u)))))))));
}
