// The seat page: join, follow the exercise, cast a private ballot. Protocol: docs/protocol.md.
// Every text from the host is inserted with textContent, never as HTML.
"use strict";
(function () {
  const V = 1;
  const $ = (id) => document.getElementById(id);
  let socket = null;
  let state = null;
  let countdownAt = 0;
  let retry = 500;
  let room = "";

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function saved() {
    try { return JSON.parse(localStorage.getItem("ttx-seat:" + room) || "null"); } catch (e) { return null; }
  }
  function save(seat) { try { localStorage.setItem("ttx-seat:" + room, JSON.stringify(seat)); } catch (e) { /* private mode */ } }
  function forget() { try { localStorage.removeItem("ttx-seat:" + room); } catch (e) { /* private mode */ } }
  function send(message) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(Object.assign({ v: V }, message))); }
  function status(text) { $("status").textContent = text; }
  const names = {};  // kept from the last question seen: between questions the state has none
  function roleNames(ids) {
    if (!ids.length) return "nobody / not sure";
    ((state && state.question && state.question.choices) || []).forEach((c) => { names[c.id] = c.name; });
    return ids.map((id) => names[id] || id).join(" + ");
  }

  function connect(join) {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const ws = new WebSocket(scheme + location.host + "/ws");
    socket = ws;
    status("Connecting…");
    ws.onopen = () => { retry = 500; status("Connected"); send(join()); };
    ws.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      receive(message);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;  // an older connection, replaced by a new join
      socket = null;
      if (event.code === 4001 || event.code === 4003) return;  // removed or refused: do not knock again
      const seat = saved();
      if (!seat) return;
      status("Connection lost; reconnecting…");
      setTimeout(() => connect(rejoin), retry);
      retry = Math.min(retry * 2, 8000);
    };
  }
  function rejoin() { const seat = saved(); return { type: "join", room: room, seat: seat.seat, secret: seat.secret }; }

  function receive(message) {
    if (message.type === "welcome") {
      if (message.secret) save({ seat: message.seat, secret: message.secret });
      $("join").hidden = true;
      $("seat").hidden = false;
      status("Seated as " + message.name + " · room " + message.room);
    } else if (message.type === "state") {
      state = message;
      countdownAt = Date.now();
      render();
    } else if (message.type === "ack") {
      // An ack can arrive after the next question's state (its fsync was slow): it is not about this one.
      const q = state && state.question;
      if (!q || q.decision !== message.decision || q.attempt !== message.attempt) return;
      $("ballot-status").textContent = "Your ballot is recorded: " + roleNames(message.roles) + ". You can change it until the reveal.";
    } else if (message.type === "error") {
      if (message.code === "wrong_secret" || message.code === "removed") forget();
      if (message.code === "unknown_name" && Array.isArray(message.roles)) offerRoles(message.roles, message.max_roles);
      if ($("seat").hidden || message.code === "removed") {
        $("join").hidden = false;
        $("seat").hidden = true;
        $("join-error").textContent = message.message;
      } else {
        $("ballot-status").textContent = message.message;
      }
    }
  }

  // Someone not in the roster picks the roles they hold from the map, then joins with them.
  function offerRoles(roles, most) {
    const box = $("pick-roles");
    const ticked = Array.from(box.querySelectorAll("input:checked")).map((i) => i.value);
    clear(box);
    roles.forEach((r) => {
      names[r.id] = r.name;
      const label = el("label", null, "choice");
      const input = el("input");
      input.type = "checkbox";
      input.value = r.id;
      input.checked = ticked.indexOf(r.id) >= 0;
      const words = el("span");
      words.appendChild(el("span", r.name));
      words.appendChild(el("span", r.party, "party"));
      label.appendChild(input);
      label.appendChild(words);
      box.appendChild(label);
    });
    $("pick-legend").textContent = "You are not in the roster. Tick the roles you hold" + (most ? " (at most " + most + "):" : ":");
    $("pick").hidden = false;
    $("join-button").textContent = "Join with these roles";
  }
  function pickedRoles() {
    return $("pick").hidden ? null : Array.from($("pick-roles").querySelectorAll("input:checked")).map((i) => i.value);
  }

  function renderStory() {
    const story = $("story");
    clear(story);
    state.story.slice().reverse().forEach((item) => {
      const box = el("article", null, "item " + item.kind);
      box.appendChild(el("h3", (item.kind === "consequence" ? "Consequence: " : "") + item.title));
      box.appendChild(el("p", [item.stage, item.clock].filter(Boolean).join(" · "), "meta"));
      box.appendChild(el("p", item.text));
      item.artifacts.forEach((a) => {
        const art = el("div", null, "artifact");
        art.appendChild(el("strong", a.kind + ": " + a.title));
        art.appendChild(el("pre", a.body));
        box.appendChild(art);
      });
      story.appendChild(box);
    });
  }

  function renderBallots(list, rows, mine) {
    clear(list);
    rows.forEach((b) => {
      const line = el("li", b.name + ": " + roleNames(b.roles), b.name === mine ? "mine" : "");
      list.appendChild(line);
    });
  }

  function renderQuestion() {
    const q = state.question;
    const open = state.phase === "open" && !state.paused;
    $("question-box").hidden = !q;
    if (!q) return;
    $("ask").textContent = q.ask;
    $("question-meta").textContent = "Question " + q.index + " of " + q.of + (q.critical ? " · critical" : "");
    const box = $("choices");
    const key = q.decision + "#" + q.attempt;
    const ticked = box.dataset.key === key
      ? Array.from(box.querySelectorAll("input:checked")).map((i) => i.value)
      : (state.your_ballot || []);
    clear(box);
    box.dataset.key = key;
    box.appendChild(el("legend", "Who acts? Tick one role, or more if it is shared."));
    q.choices.forEach((c) => {
      const label = el("label", null, "choice");
      const input = el("input");
      input.type = "checkbox";
      input.value = c.id;
      input.checked = ticked.indexOf(c.id) >= 0;
      input.disabled = !open;
      const words = el("span");
      words.appendChild(el("span", c.name));
      words.appendChild(el("span", c.party, "party"));
      label.appendChild(input);
      label.appendChild(words);
      box.appendChild(label);
    });
    $("cast").disabled = !open;
    $("nobody").disabled = !open;
    if (state.phase === "revealed") {
      // The ballots are out: a ballot can no longer change, so the ack's "until the reveal" is over.
      $("ballot-status").textContent = state.your_ballot === null
        ? "The ballots are revealed; you did not vote on this question."
        : "The ballots are revealed. Yours: " + roleNames(state.your_ballot) + ".";
    } else if (state.your_ballot === null && box.dataset.acked !== key) {
      $("ballot-status").textContent = open ? "You have not voted yet." : "";
    }
    if (state.your_ballot !== null) box.dataset.acked = key;
    $("voted").textContent = state.voted + " of " + state.seated + " seated have voted";
  }

  function render() {
    $("title").textContent = state.title;
    $("who").textContent = state.seat.name;
    $("stage").textContent = state.phase === "ended" ? "Ended" : state.stage ? "Stage: " + state.stage : "Briefing";
    $("clock").textContent = state.clock ? "Clock " + state.clock : "";
    $("paused").hidden = !state.paused;
    $("roles").textContent = "Your roles: " + (state.seat.roles.map((r) => r.name + " (" + r.party + ")").join(", ") || "none");
    $("briefing").textContent = state.briefing;
    renderQuestion();
    $("reveal-box").hidden = !state.reveal;
    if (state.reveal) renderBallots($("reveal"), state.reveal.ballots, state.seat.name);
    const last = state.last_round;
    $("last-box").hidden = !last;
    if (last) {
      $("last-ask").textContent = last.ask;
      $("last-team").textContent = "Team answer: " + (last.timed_out ? "time ran out" : roleNames(last.team));
      renderBallots($("last-ballots"), last.ballots, state.seat.name);
    }
    $("waiting").hidden = state.phase !== "briefing";
    $("ended").hidden = state.phase !== "ended";
    if (state.phase === "ended") $("question-box").hidden = true;
    renderStory();
    tick();
  }

  function tick() {
    const q = state && state.question;
    if (!q || q.remaining_s === null) { $("countdown").textContent = ""; return; }
    const gone = state.paused ? 0 : (Date.now() - countdownAt) / 1000;
    const left = Math.max(0, Math.round(q.remaining_s - gone));
    $("countdown").textContent = "Time left " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  }

  function cast(roles) {
    const q = state && state.question;
    if (!q) return;
    send({ type: "ballot", decision: q.decision, attempt: q.attempt, roles: roles });
    $("ballot-status").textContent = "Sending…";
  }

  $("ballot").addEventListener("submit", (event) => {
    event.preventDefault();
    cast(Array.from($("choices").querySelectorAll("input:checked")).map((i) => i.value));
  });
  $("nobody").addEventListener("click", () => {
    $("choices").querySelectorAll("input").forEach((i) => { i.checked = false; });
    cast([]);
  });
  $("join").addEventListener("submit", (event) => {
    event.preventDefault();
    room = $("room").value.trim().toUpperCase();
    $("join-error").textContent = "";
    const name = $("name").value.trim();
    const roles = pickedRoles();
    if (socket) socket.close();
    connect(() => {
      if (saved()) return rejoin();
      const join = { type: "join", room: room, name: name };
      if (roles) join.roles = roles;
      return join;
    });
  });
  $("pick-roles").addEventListener("change", () => { $("join-error").textContent = ""; });
  $("name").addEventListener("input", () => {
    // Another name may be in the roster: its roles come from there.
    $("pick").hidden = true;
    $("join-button").textContent = "Join";
  });
  setInterval(tick, 1000);

  const fragment = new URLSearchParams(location.hash.slice(1));
  room = (fragment.get("room") || "").toUpperCase();
  $("room").value = room;
  if (room && saved()) connect(rejoin);
})();
