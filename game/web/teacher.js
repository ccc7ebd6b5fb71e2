// The teacher's page: polls /teacher/status and fills the two tables.
// Every value is set with textContent, never innerHTML: a student's name is only ever text.
"use strict";

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text === undefined || text === null ? "" : String(text);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function tag(td, text, kind) {
  td.textContent = "";
  const span = document.createElement("span");
  span.className = "tag " + kind;
  span.textContent = text;
  td.appendChild(span);
}

function idle(seconds) {
  if (seconds === undefined || seconds === null) return "";
  if (seconds < 60) return seconds + " s";
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? minutes + " min" : Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
}

function sessionState(s) {
  if (!s.connected) return ["left", "away"];
  if (s.finished) return [s.ending ? "finished: " + s.ending : "finished", "done"];
  if (s.state) return [s.state, "playing"];
  if (s.idle_seconds >= 180) return ["playing, idle", "idle"];
  return ["playing", "playing"];
}

function fillSessions(sessions) {
  const body = document.querySelector("#sessions tbody");
  body.textContent = "";
  for (const s of sessions) {
    const row = document.createElement("tr");
    row.dataset.session = s.session;
    if (!s.connected) row.className = "left";
    cell(row, s.student || "(no name yet)");
    cell(row, s.perspective);
    cell(row, s.act);
    cell(row, s.scene);
    cell(row, s.choices, "num");
    cell(row, s.reflections, "num");
    const [text, kind] = sessionState(s);
    tag(cell(row, ""), text, kind);
    cell(row, idle(s.idle_seconds), "num");
    body.appendChild(row);
  }
  document.getElementById("no-sessions").style.display = sessions.length ? "none" : "";
}

function fillRecords(records) {
  const body = document.querySelector("#records tbody");
  body.textContent = "";
  for (const r of records.slice().reverse()) {  // the newest first
    const row = document.createElement("tr");
    cell(row, r.student || "(no name)");
    cell(row, r.assignment);
    cell(row, r.perspective);
    cell(row, r.ending || (r.complete ? "end of the assigned part" : "not finished"));
    cell(row, r.reflections, "num");
    cell(row, (r.finished_at || "").replace("T", " ").replace("+00:00", ""), "when");
    const signature = cell(row, "");
    tag(signature, r.signature, r.signature === "signed by this server" ? "signed" : r.signature === "unsigned" ? "away" : "bad");
    const file = cell(row, "", "file");
    const link = document.createElement("a");
    link.href = "/teacher/records/" + encodeURIComponent(r.file);
    link.textContent = r.file;
    file.appendChild(link);
    body.appendChild(row);
  }
  document.getElementById("no-records").style.display = records.length ? "none" : "";
}

async function refresh() {
  try {
    const response = await fetch("/teacher/status", {cache: "no-store", credentials: "same-origin"});
    if (response.status === 403) {
      document.getElementById("live").textContent = "not allowed: open the address kengir serve printed";
      return;
    }
    const status = await response.json();
    fillSessions(status.sessions);
    fillRecords(status.records);
    document.getElementById("session-count").textContent = "(" + status.connected + " playing now)";
    document.getElementById("record-count").textContent = "(" + status.records.length + ")";
    document.getElementById("summary-csv").classList.toggle("off", !status.csv);
    document.getElementById("live").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (error) {
    document.getElementById("live").textContent = "the server does not answer (stopped?); trying again";
  }
}

refresh();
setInterval(refresh, 2000);
