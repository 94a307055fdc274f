// The admin desktop's frontend: screens only. Every action is a Tauri command (`desk.rs`
// does the work); every problem comes back as a code put into words by i18n.js. A failed
// request leaves the form as it was, so nothing typed is lost.
"use strict";

const invoke = (command, args) => window.__TAURI__.core.invoke(command, args);
const $ = (id) => document.getElementById(id);

function showProblem(problem) {
  const p = $("problem");
  if (!problem) { p.hidden = true; p.textContent = ""; return; }
  p.textContent = problemText(problem);
  p.hidden = false;
  if (problem.code === "signed_out") { showSignIn(); }
}

async function call(command, args, button) {
  if (button) button.disabled = true;
  try {
    const result = await invoke(command, args);
    showProblem(null);
    return { ok: true, result };
  } catch (problem) {
    showProblem(typeof problem === "object" ? problem : { code: "internal", message: String(problem) });
    return { ok: false };
  } finally {
    if (button) button.disabled = false;
  }
}

function showSignIn() {
  $("signin").hidden = false;
  $("citizens").hidden = true;
  $("signout").hidden = true;
  $("who").textContent = "";
  $("username").focus();
}

function showDesk(signedIn) {
  $("signin").hidden = true;
  $("citizens").hidden = false;
  $("signout").hidden = false;
  $("who").textContent = t("signed_in_as") + signedIn.username + " (" + signedIn.role + ")";
  $("password").value = "";
  $("query").focus();
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
}

function dateText(ms) {
  if (ms == null) return "—";
  // Japan's conventions: year/month/day and a 24-hour clock, in Japan time.
  return new Intl.DateTimeFormat(language === "ja" ? "ja-JP" : "en-GB", {
    timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  }).format(new Date(ms));
}

async function search(event) {
  event.preventDefault();
  const { ok, result } = await call("search_citizens", { query: $("query").value }, $("search-button"));
  if (!ok) return;
  const body = $("results").querySelector("tbody");
  body.replaceChildren();
  for (const c of result) {
    const row = document.createElement("tr");
    row.className = "pick";
    row.tabIndex = 0;
    cell(row, c.nickname);
    cell(row, t(c.kind));
    cell(row, c.home_region);
    cell(row, c.cards.join(", "));
    cell(row, c.balance + " pt");
    const open = () => openFile(c.id);
    row.addEventListener("click", open);
    row.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
    body.appendChild(row);
  }
  $("results").hidden = result.length === 0;
  $("no-results").hidden = result.length !== 0;
  $("file").hidden = true;
}

async function openFile(id) {
  const { ok, result } = await call("citizen", { id });
  if (!ok) return;
  const file = result;
  $("file").dataset.id = file.citizen.id;
  $("file-name").textContent = file.citizen.nickname + "（" + t(file.citizen.kind) + "）";
  $("file-id").textContent = file.citizen.id;
  $("file-balance").textContent = file.balance + " pt";
  $("file-pin").textContent = file.has_pin ? t("pin_set") : t("pin_none");
  const cards = $("file-cards");
  cards.replaceChildren();
  for (const c of file.cards) {
    const li = document.createElement("li");
    li.textContent = c.uid + (c.revoked_at ? "（" + t("card_stopped") + " " + dateText(c.revoked_at) + "）" : "");
    cards.appendChild(li);
  }
  const ledger = $("ledger").querySelector("tbody");
  ledger.replaceChildren();
  for (const line of file.ledger) {
    const row = document.createElement("tr");
    cell(row, dateText(line.at));
    cell(row, t("reason_" + line.reason));
    cell(row, (line.amount > 0 ? "+" : "") + line.amount + " pt");
    ledger.appendChild(row);
  }
  $("file").hidden = false;
}

async function adjust(event) {
  event.preventDefault();
  const id = $("file").dataset.id;
  const { ok, result } = await call("adjust_points", {
    id, amount: Number($("amount").value), reason: $("reason").value,
  }, $("adjust-button"));
  if (!ok) return;   // the amount and reason stay in the form for a retry
  $("amount").value = "";
  $("reason").value = "";
  await openFile(id);
  const p = $("problem");
  p.hidden = true;
  $("file-balance").textContent = result + " pt";
}

async function signIn(event) {
  event.preventDefault();
  const { ok, result } = await call("sign_in", { username: $("username").value, password: $("password").value }, $("signin-button"));
  if (ok) showDesk(result);
}

window.addEventListener("DOMContentLoaded", async () => {
  applyLanguage();
  $("lang").addEventListener("click", () => { language = language === "ja" ? "en" : "ja"; applyLanguage(); });
  $("signin-form").addEventListener("submit", signIn);
  $("search-form").addEventListener("submit", search);
  $("adjust-form").addEventListener("submit", adjust);
  $("signout").addEventListener("click", async () => { await call("sign_out", {}); showSignIn(); });
  const { ok, result } = await call("who", {});
  if (ok && result) showDesk(result); else showSignIn();
});
