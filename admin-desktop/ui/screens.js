// The admin desktop's screens. Each fetches what it shows through one command and puts
// it on the page; the rules (who may do what, what is valid) are the hub's.
"use strict";

const AGE_BANDS = ["under_18", "18_29", "30s", "40s", "50s", "60s", "70_plus", "unstated"];
const CATEGORY_ICON = { transport: "⛴", local_product: "🍶", workspace: "💻", experience: "🎣" };
const NEXT_STATUS = { requested: ["assigned", "cancelled"], assigned: ["picked_up", "no_show", "cancelled"], picked_up: ["completed"] };

// --- Dashboard ---

screens.dashboard = {
  async show() {
    const { ok, result: d } = await call("dashboard");
    if (!ok) return;
    const visits = new Map();
    for (const v of d.visits_today) visits.set(v.place, (visits.get(v.place) ?? 0) + v.visits);
    barChart($("chart-visits"), d.places.map((p) => ({ label: named(p.name), value: visits.get(p.id) ?? 0 })), t("people"));
    growthChart($("chart-growth"), d.growth, d.progress.target, d.trend);
    $("growth-note").textContent = t("now_total") + number(d.progress.total) + " / " + number(d.progress.target)
      + (d.trend && d.trend.reaches_target ? "　" + t("trend_reaches") + dayText(d.trend.reaches_target) + "（" + t("per_day") + number(Math.round(d.trend.per_day)) + "）" : "");
    const now = Date.now();
    fill("dash-kiosks", d.kiosks.map((k) => {
      const online = !k.revoked && k.last_seen_at != null && now - k.last_seen_at < 10 * 60000;
      const state = k.revoked ? t("revoked") : online ? "● " + t("online") : "▲ " + t("offline");
      return row([k.kiosk.code + " " + k.kiosk.label, state, dateText(k.last_seen_at), deviceText(k.health)]);
    }));
    $("dash-rides").textContent = t("rides_waiting") + d.rides.filter((r) => r.status === "requested").length
      + "　" + t("rides_assigned") + d.rides.filter((r) => r.status === "assigned").length;
    const kiosk = (id) => (d.kiosks.find((k) => k.kiosk.id === id) ?? { kiosk: { code: "?" } }).kiosk.code;
    const items = [
      ...d.flags.map((f) => el("li", flagText(f))),
      ...d.lockouts.map((l) => el("li", dateText(l.at) + "　" + t("flag_lockout") + l.nickname + "（" + kiosk(l.kiosk) + "）")),
    ];
    $("dash-flags").replaceChildren(...(items.length ? items : [el("li", t("no_flags"))]));
  },
};

function deviceText(health) {
  if (!health || !Array.isArray(health.devices)) return "—";
  const bad = health.devices.filter((dev) => dev.health !== "ok");
  return bad.length === 0 ? t("all_ok") : bad.map((dev) => dev.device + "：" + (dev.reason ?? dev.health)).join("、");
}

function flagText(f) {
  const when = dateText(f.raised_at) + "　";
  switch (f.flag) {
    case "offline_overspend": return when + t("flag_overspend") + f.card + "（" + f.short_by + " pt）";
    case "ballot_after_close": return when + t("flag_ballot_after_close");
    case "card_registered_twice": return when + t("flag_card_twice") + f.card;
    case "port_bonus_twice": return when + t("flag_bonus_twice");
    default: return when + f.flag;
  }
}

// --- Citizens ---

let openCitizen = null;

screens.citizens = {
  show() {
    onCard = (card) => { $("query").value = card; search(); };
    $("query").focus();
  },
};

async function search(event) {
  if (event) event.preventDefault();
  const { ok, result } = await call("search_citizens", { query: $("query").value }, $("search-button"));
  if (!ok) return;
  fill("results", result.map((c) => {
    const tr = row([c.nickname, t(c.kind), c.home_region, c.cards.join(", "), number(c.balance) + " pt"]);
    tr.className = "pick";
    tr.tabIndex = 0;
    const open = () => openFile(c.id);
    tr.addEventListener("click", open);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
    return tr;
  }));
  $("results").hidden = result.length === 0;
  $("no-results").hidden = result.length !== 0;
  $("file").hidden = true;
  if (result.length === 1) openFile(result[0].id);
}

async function openFile(id) {
  const { ok, result: file } = await call("citizen", { id });
  if (!ok) return;
  openCitizen = file;
  $("register-form").hidden = true;
  $("file-name").textContent = file.citizen.nickname + "（" + t(file.citizen.kind) + "）";
  $("file-id").textContent = file.citizen.id;
  $("file-balance").textContent = number(file.balance) + " pt";
  $("file-pin").textContent = file.has_pin ? t("pin_set") : t("pin_none");
  $("file-cards").replaceChildren(...file.cards.map((c) =>
    el("li", c.uid + (c.revoked_at ? "（" + t("card_stopped") + " " + dateText(c.revoked_at) + "）" : "（" + t("card_in_use") + "）"))));
  const lost = $("lost-card");
  lost.replaceChildren(el("option", t("none_lost")), ...file.cards.filter((c) => !c.revoked_at).map((c) => el("option", c.uid)));
  lost.options[0].value = "";
  for (const form of ["edit-form", "card-form", "pin-form", "adjust-form"]) {
    $(form).dataset.scope = file.citizen.id;
    $(form).reset();
    restoreDraft($(form));
  }
  if (!$("edit-nickname").value) $("edit-nickname").value = file.citizen.nickname;
  if (!$("edit-region").value) $("edit-region").value = file.citizen.home_region;
  fill("ledger", file.ledger.map((line) => row([dateText(line.at), t("reason_" + line.reason), (line.amount > 0 ? "+" : "") + number(line.amount) + " pt"])));
  $("file").hidden = false;
}

function citizenForms() {
  $("search-form").addEventListener("submit", search);
  $("age-bands").replaceChildren(...AGE_BANDS.map((b) => { const o = el("option", t("age_" + b)); o.value = b; return o; }));
  $("age-bands").value = "unstated";
  $("new-citizen").addEventListener("click", () => {
    $("file").hidden = true;
    $("register-form").hidden = false;
    $("register-form").elements.nickname.focus();
  });
  draftForm("register-form", async (v) => {
    const citizen = { kind: v.kind, nickname: v.nickname, home_region: v.home_region, age_band: v.age_band, card: v.card || null };
    const { ok, result } = await call("register_citizen", { citizen }, $("register-button"));
    if (!ok) return false;
    confirmDone("registered", v.nickname);
    await openFile(result);
    return true;
  });
  draftForm("edit-form", async (v) => {
    const id = openCitizen.citizen.id;
    const { ok } = await call("edit_citizen", { id, edit: { nickname: v.nickname, home_region: v.home_region } }, $("edit-button"));
    if (ok) { confirmDone("saved"); await openFile(id); }
    return ok;
  });
  draftForm("card-form", async (v) => {
    const id = openCitizen.citizen.id;
    if (!v.card && !v.lost) { showProblem({ code: "missing_card", message: "" }); return false; }
    const ok = v.lost
      ? (await call("replace_card", { id, lost: v.lost, replacement: v.card || null }, $("card-button"))).ok
      : (await call("issue_card", { id, card: v.card }, $("card-button"))).ok;
    if (ok) { confirmDone(!v.lost ? "card_issued" : v.card ? "card_replaced" : "card_stopped_done"); await openFile(id); }
    return ok;
  });
  draftForm("pin-form", async (v) => {
    const { ok } = await call("reset_pin", { id: openCitizen.citizen.id, pin: v.pin }, $("pin-button"));
    if (ok) { confirmDone("pin_reset"); await openFile(openCitizen.citizen.id); }
    return ok;
  });
  draftForm("adjust-form", async (v) => {
    const id = openCitizen.citizen.id;
    const { ok, result } = await call("adjust_points", { id, amount: Number(v.amount), reason: v.reason }, $("adjust-button"));
    if (ok) { await openFile(id); confirmDone("adjusted", number(result) + " pt"); }
    return ok;
  });
}

// --- Catalogue ---

screens.catalogue = {
  async show() {
    onCard = null;
    const { ok, result } = await call("items");
    if (!ok) return;
    $("items").replaceChildren(...result.map((item) => {
      const tile = el("button", null, "tile");
      tile.type = "button";
      tile.append(el("span", CATEGORY_ICON[item.category] ?? "🎁", "icon"), el("strong", named(item.name)),
        el("span", number(item.cost) + " pt"),
        el("span", item.stock.stock === "limited" ? t("stock") + number(item.stock.count) : t("unlimited")),
        el("span", item.merchant, "small"),
        el("span", windowText(item), "small"));
      tile.addEventListener("click", () => editItem(item));
      return tile;
    }));
  },
};

function windowText(item) {
  if (item.available_from == null && item.available_until == null) return t("always");
  return (item.available_from != null ? dateText(item.available_from) : "") + " 〜 " + (item.available_until != null ? dateText(item.available_until) : "");
}

function editItem(item) {
  const f = $("item-form").elements;
  f.id.value = item.id;
  f.name_ja.value = item.name.ja;
  f.name_en.value = item.name.en;
  f.category.value = item.category;
  f.cost.value = item.cost;
  f.stock.value = item.stock.stock === "limited" ? item.stock.count : "";
  f.merchant.value = item.merchant;
  f.from.value = localInput(item.available_from);
  f.until.value = localInput(item.available_until);
  saveDraft($("item-form"));
  f.name_ja.focus();
}

function catalogueForms() {
  draftForm("item-form", async (v) => {
    const item = {
      id: v.id || null, name: { ja: v.name_ja, en: v.name_en }, category: v.category, cost: Number(v.cost),
      stock: v.stock === "" ? { stock: "unlimited" } : { stock: "limited", count: Number(v.stock) },
      merchant: v.merchant, available_from: fromLocalInput(v.from), available_until: fromLocalInput(v.until),
    };
    const { ok } = await call("put_item", { item }, $("item-button"));
    if (ok) { confirmDone("saved"); screens.catalogue.show(); }
    return ok;
  });
}

// --- Themes ---

let openTheme = null;

screens.themes = {
  async show() {
    onCard = null;
    const { ok, result } = await call("themes");
    if (!ok) return;
    const now = Date.now();
    fill("theme-list", result.map((th) => {
      const state = now < th.opens_at ? t("not_yet") : now < th.closes_at ? t("open") : t("closed");
      const b = el("button", t("results"), "quiet");
      b.type = "button";
      b.addEventListener("click", () => showResults(th.id));
      return row([named(th.title), dateText(th.opens_at) + " 〜 " + dateText(th.closes_at), state, b]);
    }));
  },
};

async function showResults(id) {
  const { ok, result: r } = await call("theme_results", { id });
  if (!ok) return;
  openTheme = r.theme;
  $("result-title").textContent = named(r.theme.title) + "：" + named(r.theme.question);
  barChart($("chart-results"), r.theme.options.map((o, i) => ({ label: named(o), value: r.votes[i] ?? 0 })), t("votes"));
  const origins = r.by_origin.map(([o, n]) => t("origin_" + o) + " " + n).join("、");
  $("result-ballots").textContent = t("ballots") + number(r.ballots) + (origins ? "（" + origins + "）" : "");
  const choice = r.theme.method.method === "single" ? "radio" : "checkbox";
  $("ballot-options").replaceChildren(el("legend", t("paper_choice")), ...r.theme.options.map((o, i) => {
    const label = el("label", null, "check");
    const input = document.createElement("input");
    Object.assign(input, { type: choice, name: "choice", value: String(i) });
    label.append(input, el("span", named(o)));
    return label;
  }));
  const open = Date.now() < r.theme.closes_at;
  $("ballot-form").hidden = !open;
  $("close-theme").hidden = !open;
  $("theme-results").hidden = false;
}

function themeForms() {
  $("close-theme").addEventListener("click", async () => {
    if (!openTheme || !confirm(t("confirm_close"))) return;
    const { ok } = await call("close_theme", { id: openTheme.id }, $("close-theme"));
    if (ok) { confirmDone("theme_closed"); await showResults(openTheme.id); screens.themes.show(); }
  });
  $("export-theme").addEventListener("click", async () => {
    const { ok, result } = await call("export_theme", { id: openTheme.id }, $("export-theme"));
    if (ok) confirmDone("saved_to", result.path);
  });
  $("ballot-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const choices = [...$("ballot-form").querySelectorAll("input[name=choice]:checked")].map((i) => Number(i.value));
    const { ok } = await call("paper_ballot", { id: openTheme.id, citizen: $("ballot-citizen").value, choices }, $("ballot-button"));
    if (ok) { confirmDone("ballot_added"); $("ballot-form").reset(); await showResults(openTheme.id); }
  });
  draftForm("theme-form", async (v) => {
    const options = v.options.split("\n").map((l) => l.trim()).filter(Boolean).map((l) => {
      const [ja, en] = l.split("/").map((s) => s.trim());
      return { ja, en: en || ja };
    });
    const method = v.method === "single" ? { method: "single" } : { method: "approval", min: Number(v.min), max: Number(v.max) };
    const draft = {
      title: { ja: v.title_ja, en: v.title_en }, question: { ja: v.question_ja, en: v.question_en }, options, method,
      eligibility: v.eligibility, opens: v.opens, closes: v.closes, results_visible: v.results_visible,
    };
    const { ok, result } = await call("create_theme", { draft }, $("theme-button"));
    if (ok) { confirmDone("theme_created"); await screens.themes.show(); await showResults(result); }
    return ok;
  });
}

// --- Rides ---

let board = null;

screens.rides = {
  async show() {
    onCard = null;
    const { ok, result } = await call("board", { all: $("rides-all").checked });
    if (!ok) return;
    board = result;
    const place = (id) => named((board.places.find((p) => p.id === id) ?? {}).name);
    const stop = (id) => named((board.stops.find((s) => s.id === id) ?? {}).name);
    fill("ride-board", board.rides.map((r) => {
      const needs = [r.needs.wheelchair ? t("wheelchair") : "", r.needs.assistance ? t("assistance") : ""].filter(Boolean).join("・");
      return row([dateText(r.pickup_at), r.number, place(r.pickup) + " → " + stop(r.destination),
        r.passengers + t("persons") + (needs ? "（" + needs + "）" : ""),
        t("ride_" + r.status) + (r.vehicle ? "　" + r.vehicle : "") + (r.driver ? "・" + r.driver : "") + (r.eta ? "　" + t("eta") + dateText(r.eta) : ""),
        dispatchForm(r)]);
    }));
    $("no-rides").hidden = board.rides.length !== 0;
  },
};

function dispatchForm(r) {
  const form = el("form", null, "row dispatch");
  form.id = "ride-" + r.ride;
  const next = NEXT_STATUS[r.status] ?? [];
  if (next.length === 0) return form;
  const select = document.createElement("select");
  select.name = "status";
  select.setAttribute("aria-label", t("state"));
  for (const s of next) { const o = el("option", t("ride_" + s)); o.value = s; select.appendChild(o); }
  const input = (name, value, key, type) => {
    const i = document.createElement("input");
    Object.assign(i, { name, value: value ?? "", type: type ?? "text", placeholder: t(key) });
    i.setAttribute("aria-label", t(key));
    return i;
  };
  const button = el("button", t("update"));
  button.type = "submit";
  form.append(select, input("vehicle", r.vehicle, "vehicle"), input("driver", r.driver, "driver"), input("eta", localInput(r.eta), "eta", "datetime-local"), button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = formValues(form);
    if (v.status === "no_show" && !confirm(t("confirm_no_show"))) return;
    const update = { status: v.status, vehicle: v.vehicle || null, driver: v.driver || null, eta: fromLocalInput(v.eta) };
    const { ok } = await call("update_ride", { id: r.ride, update }, button);
    if (ok) { confirmDone("ride_updated", r.number); screens.rides.show(); }
  });
  return form;
}

// --- Places and kiosks ---

screens.sites = {
  async show() {
    onCard = null;
    const { ok, result } = await call("sites");
    if (!ok) return;
    const list = $("site-list");
    list.replaceChildren();
    for (const p of result.places) {
      const block = el("article", null, "site");
      block.appendChild(el("h3", p.code + "　" + named(p.name) + "（" + t("place_" + p.kind) + "）"));
      if (session && session.role === "manager") {
        const change = el("button", t("place_change"), "quiet");
        change.type = "button";
        change.addEventListener("click", () => editPlace(p));
        block.appendChild(change);
      }
      const kiosks = result.kiosks.filter((k) => k.kiosk.place === p.id);
      if (kiosks.length === 0) block.appendChild(el("p", t("no_kiosks"), "small"));
      const table = el("table");
      table.appendChild(el("tbody"));
      for (const k of kiosks) {
        const revoke = el("button", t("revoke"), "danger");
        revoke.type = "button";
        revoke.hidden = k.revoked;
        revoke.addEventListener("click", async () => {
          if (!confirm(t("confirm_revoke") + k.kiosk.code)) return;
          const { ok } = await call("revoke_kiosk", { id: k.kiosk.id }, revoke);
          if (ok) { confirmDone("kiosk_revoked", k.kiosk.code); screens.sites.show(); }
        });
        table.tBodies[0].appendChild(row([k.kiosk.code + " " + k.kiosk.label, k.revoked ? t("revoked") : t("active"), t("last_sync") + "：" + dateText(k.last_seen_at), deviceText(k.health), revoke]));
      }
      block.appendChild(table);
      list.appendChild(block);
    }
    const select = $("enrol-place");
    const chosen = select.value;
    select.replaceChildren(...result.places.map((p) => { const o = el("option", p.code + " " + named(p.name)); o.value = p.id; return o; }));
    restoreDraft($("enrol-form"));
    if (chosen) select.value = chosen;
  },
};

function editPlace(p) {
  const f = $("place-form").elements;
  f.id.value = p.id;
  f.code.value = p.code;
  f.kind.value = p.kind;
  f.name_ja.value = p.name.ja;
  f.name_en.value = p.name.en;
  f.name_ko.value = p.name.ko ?? "";
  f.name_zh.value = p.name.zh ?? "";
  f.lat.value = p.location.lat;
  f.lon.value = p.location.lon;
  f.checkin_points.value = p.checkin_points;
  f.pin_threshold.value = p.pin_threshold;
  saveDraft($("place-form"));
  f.code.focus();
}

function siteForms() {
  draftForm("place-form", async (v) => {
    const name = { ja: v.name_ja, en: v.name_en };
    if (v.name_ko.trim()) name.ko = v.name_ko.trim();
    if (v.name_zh.trim()) name.zh = v.name_zh.trim();
    const place = {
      id: v.id || null, kind: v.kind, code: v.code.trim().toUpperCase(), name,
      location: { lat: Number(v.lat), lon: Number(v.lon) },
      checkin_points: Number(v.checkin_points), pin_threshold: Number(v.pin_threshold),
    };
    const { ok } = await call("put_place", { place }, $("place-button"));
    if (ok) { confirmDone("saved"); screens.sites.show(); }
    return ok;
  });
  draftForm("enrol-form", async (v) => {
    const { ok, result } = await call("enrolment_code", { place: v.place, kioskCode: v.kiosk_code }, $("enrol-button"));
    if (!ok) return false;
    $("enrol-qr").innerHTML = result.qr_svg;   // SVG made by the desk from the code alone
    $("enrol-qr").setAttribute("aria-label", result.code);
    $("enrol-text").textContent = result.code;
    $("enrol-expires").textContent = t("expires") + dateText(result.expires_at);
    $("enrol-code").hidden = false;
    return true;
  });
}

// --- Reports and open data ---

screens.reports = {
  show() {
    onCard = null;
    if (!$("from").value) {
      const today = todayInTokyo();
      $("from").value = dayIso(today - 6);
      $("to").value = dayIso(today);
    }
  },
};

function period() { return { from: $("from").value, to: $("to").value }; }

function reportForms() {
  $("period-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const { ok, result: r } = await call("reports", period(), $("report-button"));
    if (!ok) return;
    const byPlace = tally(r.visits, (v) => v.place, r.places.map((p) => p.id));
    fill("report-visits", r.places.map((p) => kindsRow(named(p.name), byPlace.get(p.id))));
    const byDay = tally(r.visits, (v) => v.day, []);
    fill("report-days", [...byDay.keys()].sort((a, b) => a - b).map((d) => kindsRow(dayText(d), byDay.get(d))));
    const byRegion = tally(r.regions, (v) => v.home_region, []);
    fill("report-regions", [...byRegion.keys()].map((g) => kindsRow(g === "unknown" ? t("region_unknown") : g, byRegion.get(g))));
    const e = r.engagement;
    const facts = [
      ["visiting_citizens", e.visiting_citizens], ["returning_citizens", e.returning_citizens],
      ["voting_citizens", e.voting_citizens], ["ballots", e.ballots],
      ["points_earned", e.points_earned + " pt"], ["points_spent", e.points_spent + " pt"],
    ];
    $("report-engagement").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", t(k)), el("dd", typeof v === "number" ? number(v) : v)]));
    $("report").hidden = false;
  });
  $("preview-button").addEventListener("click", async () => {
    const { ok, result } = await call("open_data_preview", period(), $("preview-button"));
    if (ok) showPreview(result);
  });
  $("export-button").addEventListener("click", async () => {
    const bar = $("export-progress");
    bar.hidden = false;
    bar.removeAttribute("value");
    $("export-done").hidden = true;
    const stop = await tauri().event.listen("export-progress", (event) => {
      const { bytes, total } = event.payload;
      if (total) { bar.max = total; bar.value = bytes; }
    });
    const { ok, result } = await call("export_open_data", period(), $("export-button"));
    stop();
    if (ok) {
      bar.max = 1; bar.value = 1;
      $("export-done").textContent = t("saved_to") + result.path + "（" + number(result.preview.total_rows) + t("rows") + "）";
      $("export-done").hidden = false;
      showPreview(result.preview);
    } else {
      bar.hidden = true;
    }
  });
}

/// Visits summed per key, each split by kind of visitor; `keys` come first, in order.
function tally(counts, key, keys) {
  const out = new Map(keys.map((k) => [k, { resident: 0, e_citizen: 0, guest: 0 }]));
  for (const v of counts) {
    const cell = out.get(key(v)) ?? { resident: 0, e_citizen: 0, guest: 0 };
    cell[v.visitor] = (cell[v.visitor] ?? 0) + v.visits;
    out.set(key(v), cell);
  }
  return out;
}

function kindsRow(label, c) {
  return row([label, number(c.resident), number(c.e_citizen), number(c.guest), number(c.resident + c.e_citizen + c.guest)]);
}

function showPreview(p) {
  const table = $("csv-preview");
  table.tHead.replaceChildren(row(p.header));
  for (const c of table.tHead.querySelectorAll("td")) c.outerHTML = "<th>" + c.innerHTML + "</th>";
  fill("csv-preview", p.rows.map(row));
  table.hidden = false;
  table.setAttribute("aria-label", t("preview_of") + p.total_rows + t("rows") + "、" + t("suppressed") + p.suppressed);
}

// --- Coupons ---

screens.coupons = { show() { onCard = null; $("coupon-code").focus(); } };

function couponForms() {
  $("coupon-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const { ok, result } = await call("verify_coupon", { code: $("coupon-code").value }, $("coupon-button"));
    if (!ok) return;
    const answer = $("coupon-answer");
    answer.className = "answer " + result.coupon;
    answer.textContent = result.coupon === "valid" ? "✓ " + t("coupon_valid") + result.item + "（" + dateText(result.issued_at) + "）"
      : result.coupon === "already_used" ? "✗ " + t("coupon_used") + dateText(result.used_at)
      : "✗ " + t("coupon_unknown");
    answer.hidden = false;
  });
}

// --- Audit log (managers) ---

screens.audit = {
  async show() {
    onCard = null;
    const { ok, result } = await call("audit", { before: null });
    if (!ok) return;
    fill("audit-log", result.entries.map(auditRow));
    showOlder(result);
  },
};

function auditRow(a) {
  return row([dateText(a.at), a.staff_name ?? a.staff, t("act_" + a.action), a.subject, changeText(a)]);
}

/// "Older entries" appends the next page, while there is one.
function showOlder(page) {
  const older = $("audit-older");
  older.hidden = !page.more;
  older.onclick = async () => {
    const last = page.entries[page.entries.length - 1];
    const { ok, result } = await call("audit", { before: last.id }, older);
    if (!ok) return;
    for (const entry of result.entries) $("audit-log").tBodies[0].appendChild(auditRow(entry));
    showOlder(result);
  };
}

function changeText(a) {
  const short = (s) => (s && s.length > 80 ? s.slice(0, 80) + "…" : s ?? "—");
  return short(a.before) + " → " + short(a.after);
}

window.addEventListener("DOMContentLoaded", () => {
  citizenForms();
  catalogueForms();
  themeForms();
  siteForms();
  reportForms();
  couponForms();
  $("rides-all").addEventListener("change", () => screens.rides.show());
});
