// The admin desktop's frame: commands, problems and retry, drafts, navigation, the card
// reader and sign-in. Screens live in screens.js. Every action is a Tauri command
// (`desk.rs` does the work); every problem comes back as a code put into words by i18n.js.
// Nothing typed is lost: each form marked `draft` is saved on every keystroke and cleared
// only when the hub has accepted it, so a failed request, a closed window or a restart
// leaves the entry as it was, with "send again". Secrets (a new PIN) are never saved.
"use strict";

const $ = (id) => document.getElementById(id);
const tauri = () => window.__TAURI__;
const invoke = (command, args) => tauri().core.invoke(command, args ?? {});

let session = null;      // { username, role }
let lastFailed = null;   // the action to retry
const screens = {};      // name → { show() } filled in by screens.js

// --- Problems, retry and confirmations ---

function showProblem(problem, retry) {
  const box = $("problem");
  lastFailed = problem && problem.retryable ? retry : null;
  if (!problem) { box.hidden = true; return; }
  $("problem-text").textContent = problemText(problem);
  $("retry").hidden = !lastFailed;
  box.hidden = false;
  if (problem.code === "signed_out") showSignIn();
}

function confirmDone(key, extra) {
  const p = $("done");
  p.textContent = t(key) + (extra ?? "");
  p.hidden = false;
  clearTimeout(confirmDone.timer);
  confirmDone.timer = setTimeout(() => { p.hidden = true; }, 6000);
}

/// 32 random hex digits.
function newRequestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/// Runs a command; on failure shows the problem (with "send again" if it may work later).
/// One request id per action, kept for "send again": the hub applies a write once per id,
/// so an action whose answer was lost is not applied twice.
async function call(command, args, button, requestId = newRequestId()) {
  if (button) button.disabled = true;
  try {
    const result = await invoke(command, { ...args, requestId });
    showProblem(null);
    return { ok: true, result };
  } catch (e) {
    const problem = typeof e === "object" && e !== null && e.code ? e : { code: "internal", message: String(e) };
    showProblem(problem, () => call(command, args, button, requestId));
    return { ok: false, problem };
  } finally {
    if (button) button.disabled = false;
  }
}

// --- Drafts: every form marked `draft` survives failures and restarts ---

function draftKey(form) { return "draft:" + form.id + (form.dataset.scope ? ":" + form.dataset.scope : ""); }

function saveDraft(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name || "secret" in el.dataset) continue;
    values[el.name] = el.type === "checkbox" ? el.checked : el.value;
  }
  localStorage.setItem(draftKey(form), JSON.stringify(values));
}

function restoreDraft(form) {
  const saved = localStorage.getItem(draftKey(form));
  if (!saved) return;
  const values = JSON.parse(saved);
  for (const el of form.elements) {
    if (!el.name || !(el.name in values)) continue;
    if (el.type === "checkbox") el.checked = values[el.name]; else el.value = values[el.name];
  }
}

function clearDraft(form) {
  localStorage.removeItem(draftKey(form));
  form.reset();
}

function formValues(form) {
  const v = {};
  for (const el of form.elements) if (el.name) v[el.name] = el.type === "checkbox" ? el.checked : el.value.trim();
  return v;
}

/// Wires a draft form: saved as typed, sent by `send(values)`, cleared when it worked.
function draftForm(id, send) {
  const form = $(id);
  form.addEventListener("input", () => saveDraft(form));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    saveDraft(form);
    if (await send(formValues(form))) clearDraft(form);
  });
  restoreDraft(form);
  return form;
}

// --- Small view helpers ---

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const td = document.createElement("td");
    if (c instanceof Node) td.appendChild(c); else td.textContent = c;
    tr.appendChild(td);
  }
  return tr;
}

function fill(tableId, rows) { $(tableId).querySelector("tbody").replaceChildren(...rows); }

function locale() { return language === "ja" ? "ja-JP" : "en-GB"; }

/// Japan's conventions: year/month/day, a 24-hour clock, in Japan time.
function dateText(ms) {
  if (ms == null) return "—";
  return new Intl.DateTimeFormat(locale(), {
    timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  }).format(new Date(ms));
}

/// A `LocalDay` (days since 1970-01-01) as a date.
function dayText(day) {
  return new Intl.DateTimeFormat(locale(), { timeZone: "UTC", year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date(day * 86400000));
}

/// A `LocalDay` as `2026-12-04` (for date inputs).
function dayIso(day) { return new Date(day * 86400000).toISOString().slice(0, 10); }

/// A timestamp as a `datetime-local` value in Japan time.
function localInput(ms) {
  if (ms == null) return "";
  return new Date(ms + 9 * 3600000).toISOString().slice(0, 16);
}

/// A `datetime-local` value (Japan time) as a timestamp.
function fromLocalInput(text) {
  if (!text) return null;
  return Date.parse(text + ":00Z") - 9 * 3600000;
}

function todayInTokyo() { return Math.floor((Date.now() + 9 * 3600000) / 86400000); }

function named(localised) { return localised ? (localised[language] ?? localised.ja) : "?"; }

function number(n) { return new Intl.NumberFormat(locale()).format(n); }

// --- Navigation ---

function showScreen(name) {
  for (const s of document.querySelectorAll(".screen")) s.hidden = s.id !== name;
  for (const b of document.querySelectorAll("#nav button")) b.setAttribute("aria-current", b.dataset.screen === name ? "page" : "false");
  showProblem(null);
  $("done").hidden = true;
  const screen = screens[name];
  if (screen && screen.show) screen.show();
}

/// What one member of staff opened is not left for the next to see.
const PRIVATE_VIEWS = ["file", "register-form", "results", "no-results", "theme-results", "report", "csv-preview", "export-done", "enrol-code", "coupon-answer"];

function showSignIn() {
  session = null;
  for (const id of PRIVATE_VIEWS) $(id).hidden = true;
  for (const id of ["query", "coupon-code", "sim-card"]) $(id).value = "";
  $("nav").hidden = true;
  $("signout").hidden = true;
  $("who").textContent = "";
  for (const s of document.querySelectorAll(".screen")) s.hidden = s.id !== "signin";
  $("username").focus();
}

function showDesk(signedIn) {
  session = signedIn;
  $("nav").hidden = false;
  $("signout").hidden = false;
  for (const b of document.querySelectorAll("[data-manager]")) b.hidden = signedIn.role !== "manager";
  $("who").textContent = t("signed_in_as") + signedIn.username + "（" + t("role_" + signedIn.role) + "）";
  $("password").value = "";
  showScreen("dashboard");
}

async function signIn(event) {
  event.preventDefault();
  const { ok, result } = await call("sign_in", { username: $("username").value, password: $("password").value }, $("signin-button"));
  if (ok) showDesk(result);
}

// --- The card reader ---

let onCard = null;     // the screen's use for a tapped card, if it has one
const readerLog = [];  // the reader's last notes, for support
let cardField = null;  // the card field last in focus (pressing the simulated reader keeps it)

document.addEventListener("focusin", (e) => {
  if (e.target.closest && e.target.closest("#sim")) return;
  cardField = e.target.classList && e.target.classList.contains("takes-card") ? e.target : null;
});

/// A tapped card goes into the card field in use, else to the screen's own use.
function cardTapped(card) {
  if (cardField && cardField.getClientRects().length > 0) {
    cardField.value = card;
    cardField.dispatchEvent(new Event("input", { bubbles: true }));
    cardField.focus();
    return;
  }
  if (onCard) onCard(card);
}

function showReader(info) {
  const state = $("reader-state");
  if (info.kind === "none") { state.textContent = t("reader_none"); return; }
  state.textContent = (info.ok ? "● " : "▲ ") + t(info.ok ? "reader_ok" : "reader_problem") + (info.reason ? "：" + info.reason : "");
  state.classList.toggle("bad", !info.ok);
  $("sim").hidden = info.kind !== "simulated";
}

async function simulateTap(card) {
  await call("simulate_tap", { card });
}

window.addEventListener("DOMContentLoaded", async () => {
  applyLanguage();
  $("lang").addEventListener("click", () => {
    language = language === "ja" ? "en" : "ja";
    localStorage.setItem("language", language);
    applyLanguage();
    const current = document.querySelector(".screen:not([hidden])");
    if (current && session) showScreen(current.id);
  });
  $("signin-form").addEventListener("submit", signIn);
  $("signout").addEventListener("click", async () => { await call("sign_out"); showSignIn(); });
  $("retry").addEventListener("click", () => { if (lastFailed) lastFailed(); });
  for (const b of document.querySelectorAll("#nav button")) b.addEventListener("click", () => showScreen(b.dataset.screen));
  $("sim-blank").addEventListener("click", () => simulateTap(null));
  $("sim-tap").addEventListener("click", () => simulateTap($("sim-card").value));

  tauri().event.listen("reader", (event) => {
    const note = event.payload;
    readerLog.push(note);
    if (readerLog.length > 20) readerLog.shift();
    if (note.kind === "tap") cardTapped(note.card);
    else if (note.kind === "rejected") showProblem({ code: "card_rejected", message: note.reason });
    else invoke("reader_info").then(showReader);
  });
  showReader(await invoke("reader_info"));
  const { ok, result } = await call("who");
  if (ok && result) showDesk(result); else showSignIn();
});
