import { api, errorText, type Page } from "./api";
import { fmtDateTime, t, type TextKey } from "./i18n";
import { communePicker, field } from "./stayform";
import { h } from "./ui";

interface User {
  id: string; email: string; displayName: string | null; role: string; provinceCode: string | null; communeCodes: string[];
  establishmentId: string | null; createdAt: string; lastLoginAt: string | null; disabledAt: string | null; areaName: string | null;
}

const roles: [string, TextKey][] = [["commune-officer", "roleOfficer"], ["province-supervisor", "roleSupervisor"], ["admin", "roleAdmin"],
  ["establishment-staff", "roleStaff"]];
const roleWord = (role: string): string => { const r = roles.find(([v]) => v === role); return r ? t(r[1]) : role; };

/** Who is using the screen: an admin (anyone, anywhere) or a province supervisor (officers of their own province). */
export interface UsersCaller { role: string; provinceCode: string | null }

/** The users screen: who signs in, in what role and where (in words); create, disable or enable, set a new password,
 *  change the communes an officer covers. Staff accounts come from an establishment's application. */
export function usersPanel(caller: UsersCaller): HTMLElement {
  const panel = h("section", { class: "card", id: "users-panel", "aria-labelledby": "users-title" });
  void render(panel, caller);
  return panel;
}

/** Communes chosen by name: province (fixed for a supervisor), then a commune found by name, added to the list; each
 *  chosen one can be removed. */
async function communesChooser(idPrefix: string, caller: UsersCaller, initial: { code: string; name: string }[]):
  Promise<{ element: HTMLElement; codes: () => string[] }> {
  const picker = await communePicker({ idPrefix, province: caller.role === "admin" ? null : caller.provinceCode });
  const chosen = new Map(initial.map((c) => [c.code, c.name]));
  const list = h("ul", { class: "chips", id: `${idPrefix}chosen`, "aria-live": "polite" });
  const draw = () => list.replaceChildren(...(chosen.size === 0 ? [h("li", { class: "muted" }, t("noCommuneChosen"))]
    : [...chosen].map(([code, name]) => h("li", { "data-commune": code }, name, " ",
      h("button", { type: "button", class: "link", "aria-label": `${t("removeCommune")}: ${name}`, onclick: () => { chosen.delete(code); draw(); } },
        t("removeCommune"))))));
  const add = h("button", { type: "button", class: "secondary", onclick: () => {
    const option = picker.commune.selectedOptions[0];
    if (!picker.commune.value || !option) return;
    chosen.set(picker.commune.value, (option.textContent ?? "").split(" — ")[0]);
    draw();
  } }, t("addCommune"));
  draw();
  return {
    element: h("fieldset", { class: "communes-chooser" }, h("legend", {}, t("communesOfOfficer")), ...picker.fields("communeCodes"), add, list),
    codes: () => [...chosen.keys()],
  };
}

async function render(panel: HTMLElement, caller: UsersCaller): Promise<void> {
  const message = h("p", { role: "status", id: "users-message" });
  let page: Page<User>;
  let provinces: { code: string; name: string }[];
  try {
    [page, provinces] = await Promise.all([api<Page<User>>("/api/v1/users?limit=200"), api<{ code: string; name: string }[]>("/api/v1/provinces")]);
  } catch (err) { panel.replaceChildren(h("h2", { id: "users-title" }, t("usersTitle")), h("p", { class: "error", role: "alert" }, errorText(err))); return; }

  const email = h("input", { type: "email", maxLength: 254, autocomplete: "off" });
  const name = h("input", { type: "text", maxLength: 100 });
  const password = h("input", { type: "password", maxLength: 128, autocomplete: "new-password" });
  // A province supervisor makes commune officers of their province; admins make officers, supervisors and admins (staff
  // accounts come from an establishment's application).
  const offered = caller.role === "admin" ? roles.filter(([v]) => v !== "establishment-staff") : roles.filter(([v]) => v === "commune-officer");
  const role = h("select", {}, ...offered.map(([v, k]) => h("option", { value: v }, t(k))));
  const province = h("select", {}, h("option", { value: "" }, t("choose")), ...provinces.map((p) => h("option", { value: p.code }, p.name)));
  const provinceBox = field("new-user-supervised-province", t("provinceOfSupervisor"), province, "provinceCode");
  const communes = await communesChooser("new-user-", caller, []);
  const showFor = () => {
    provinceBox.hidden = role.value !== "province-supervisor";
    communes.element.hidden = role.value !== "commune-officer";
  };
  role.addEventListener("change", showFor);
  showFor();
  const create = h("form", { class: "stay-form", id: "new-user", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      await api("/api/v1/users", { method: "POST", json: {
        email: email.value.trim(), password: password.value, role: role.value, displayName: name.value.trim() || null,
        provinceCode: role.value === "province-supervisor" ? province.value || null : null,
        communeCodes: role.value === "commune-officer" ? communes.codes() : null,
      } });
      await render(panel, caller);
      document.getElementById("users-message")!.textContent = `${t("userCreated")}: ${email.value.trim()}`;
    } catch (err) { message.textContent = errorText(err); }
  } },
    field("new-user-email", t("email"), email, "email"), field("new-user-name", t("displayName"), name, "displayName"),
    field("new-user-password", t("newPasswordHint"), password, "password"), field("new-user-role", t("role"), role, "role"),
    provinceBox, communes.element,
    h("div", { class: "row" }, h("button", { type: "submit" }, t("createUser"))));

  const act = async (u: User, path: string, json?: unknown, method = "POST") => {
    // The last action's "saved" goes at once: what shows next is this action's outcome, not the one before.
    document.getElementById("users-message")!.textContent = "";
    try {
      await api(`/api/v1/users/${u.id}/${path}`, { method, json: json ?? {} });
      await render(panel, caller);
      document.getElementById("users-message")!.textContent = `${u.email}: ${t("saved")}`;
    } catch (err) { message.textContent = errorText(err); }
  };
  const resetControl = (u: User) => {
    const input = h("input", { type: "password", "aria-label": `${t("newPassword")}: ${u.email}`, maxLength: 128, autocomplete: "new-password" });
    return h("span", { class: "inline" }, input,
      h("button", { type: "button", class: "secondary", onclick: () => void act(u, "password", { newPassword: input.value }) }, t("resetPassword")));
  };
  /** An officer's communes, changed in a dialog with the same chooser, starting from the ones they cover. */
  const changeCommunes = async (u: User) => {
    const names = (u.areaName ?? "").split(", ");
    const current = u.communeCodes.map((code, i) => ({ code, name: names[i] ?? code }));
    const chooser = await communesChooser("edit-user-", caller, current);
    const error = h("p", { class: "error", role: "alert" });
    const dialog = h("dialog", { "aria-labelledby": "edit-user-title" });
    const close = () => { dialog.close(); dialog.remove(); };
    dialog.append(h("form", { class: "stay-form", onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await api(`/api/v1/users/${u.id}/communes`, { method: "PUT", json: { communeCodes: chooser.codes() } });
        close();
        await render(panel, caller);
        document.getElementById("users-message")!.textContent = `${u.email}: ${t("saved")}. ${t("communesChangedNote")}`;
      } catch (err) { error.textContent = errorText(err); }
    } },
      h("h2", { id: "edit-user-title" }, `${t("changeCommunes")}: ${u.displayName ?? u.email}`),
      chooser.element, h("p", { class: "muted" }, t("communesChangedNote")), error,
      h("div", { class: "row" }, h("button", { type: "submit" }, t("save")),
        h("button", { type: "button", class: "secondary", onclick: close }, t("close")))));
    document.body.append(dialog);
    dialog.showModal();
  };
  panel.replaceChildren(h("h2", { id: "users-title" }, t("usersTitle")), create, message,
    h("div", { class: "table-scroll" }, h("table", { id: "users" },
      h("thead", {}, h("tr", {}, ...(["email", "role", "area", "lastLogin", "status", "actions"] as TextKey[]).map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, ...page.items.map((u) => h("tr", { "data-user": u.email, class: u.disabledAt ? "cancelled" : "" },
        h("td", {}, u.displayName ? `${u.displayName} · ${u.email}` : u.email), h("td", {}, roleWord(u.role)),
        h("td", {}, u.areaName || "—"),
        h("td", {}, u.lastLoginAt ? fmtDateTime(u.lastLoginAt) : t("never")),
        h("td", {}, u.disabledAt ? t("userDisabled") : t("userActive")),
        h("td", {}, h("div", { class: "row" },
          u.disabledAt
            ? h("button", { type: "button", class: "secondary", "aria-label": `${t("enableUser")}: ${u.email}`, onclick: () => void act(u, "enable") }, t("enableUser"))
            : h("button", { type: "button", class: "danger", "aria-label": `${t("disableUser")}: ${u.email}`, onclick: () => void act(u, "disable") }, t("disableUser")),
          u.role === "commune-officer"
            ? h("button", { type: "button", class: "secondary", "aria-label": `${t("changeCommunes")}: ${u.email}`, onclick: () => void changeCommunes(u) }, t("changeCommunes"))
            : null,
          resetControl(u)))))))));
}
