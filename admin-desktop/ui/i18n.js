// The admin desktop's words, Japanese first, then English. Problems from the hub come as
// codes and are put into words here; an unknown code shows the hub's own message.
"use strict";

const WORDS = {
  ja: {
    title: "壱岐サークル 管理", switch_language: "English", sign_out: "サインアウト",
    sign_in_title: "サインイン", username: "ユーザー名", password: "パスワード", sign_in: "サインイン",
    citizens: "市民", search_label: "ニックネーム・市民番号・カード番号", search: "検索",
    nickname: "ニックネーム", kind: "区分", region: "地域", cards: "カード", points: "ポイント",
    no_results: "見つかりませんでした。", citizen_number: "市民番号", pin: "PIN",
    amount: "増減（pt）", reason: "理由（必須・記録されます）", adjust: "ポイントを調整",
    ledger: "ポイント履歴", when: "日時", what: "内容", amount_col: "ポイント",
    resident: "島民", e_citizen: "e-市民", pin_set: "設定済み", pin_none: "未設定",
    card_stopped: "停止", signed_in_as: "サインイン中：",
    adjusted: "ポイントを調整しました。残高：",
    reason_check_in: "チェックイン", reason_port_bonus: "初上陸ボーナス", reason_redemption: "交換",
    reason_staff_adjustment: "係員による調整", reason_expiry: "有効期限切れ",
    // problems
    unreachable: "島のサーバーにつながりません。入力した内容はそのままです。接続が戻ったらもう一度押してください。",
    wrong_password: "ユーザー名またはパスワードが違います。",
    too_many_attempts: "パスワードの誤りが続いたため、15分間サインインできません。管理者にご相談ください。",
    signed_out: "サインインの有効期限が切れました。もう一度サインインしてください。",
    not_allowed: "この操作は管理者だけができます。",
    not_found: "見つかりませんでした。",
    server: "島のサーバーで問題が起きました。少し待ってからもう一度お試しください。",
    missing_credentials: "ユーザー名とパスワードを入れてください。",
    bad_citizen_id: "市民番号の形が正しくありません。",
  },
  en: {
    title: "Iki Circle Admin", switch_language: "日本語", sign_out: "Sign out",
    sign_in_title: "Sign in", username: "User name", password: "Password", sign_in: "Sign in",
    citizens: "Citizens", search_label: "Nickname, citizen number or card number", search: "Search",
    nickname: "Nickname", kind: "Kind", region: "Region", cards: "Cards", points: "Points",
    no_results: "Nobody found.", citizen_number: "Citizen number", pin: "PIN",
    amount: "Change (pt)", reason: "Reason (required, kept in the audit log)", adjust: "Adjust points",
    ledger: "Points history", when: "When", what: "What", amount_col: "Points",
    resident: "Resident", e_citizen: "e-citizen", pin_set: "set", pin_none: "not set",
    card_stopped: "stopped", signed_in_as: "Signed in: ",
    adjusted: "Points adjusted. Balance: ",
    reason_check_in: "Check-in", reason_port_bonus: "First-arrival bonus", reason_redemption: "Redemption",
    reason_staff_adjustment: "Staff adjustment", reason_expiry: "Expired",
    unreachable: "The island's server cannot be reached. What you entered is kept; press again when the connection is back.",
    wrong_password: "The user name or password is not right.",
    too_many_attempts: "Too many wrong passwords: sign-in is paused for 15 minutes. Please ask a manager.",
    signed_out: "Your session has ended. Please sign in again.",
    not_allowed: "Only a manager can do this.",
    not_found: "Not found.",
    server: "The island's server had a problem. Please try again in a moment.",
    missing_credentials: "Please enter your user name and password.",
    bad_citizen_id: "That is not a citizen number.",
  },
};

let language = "ja";

function t(key) {
  return WORDS[language][key] ?? WORDS.ja[key] ?? key;
}

function problemText(problem) {
  return WORDS[language][problem.code] ?? problem.message;
}

function applyLanguage() {
  document.documentElement.lang = language;
  for (const el of document.querySelectorAll("[data-t]")) {
    el.textContent = t(el.dataset.t);
  }
}
