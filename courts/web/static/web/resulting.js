// The resulting page: each defendant's panel saves and shares without a page reload or a scroll jump.
//
// A panel is a plain <form> that works without this script. Here its submit is posted with fetch and the
// header X-Requested-With: fetch; the server answers with the panel alone, whose body replaces the old
// one in place. Focus and caret go back where they were, and anything typed while the request was on
// its way is put back and saved next. Drafts save 1.5 s after the last keystroke and when a field is left.
//
// Keys: Enter in a notepad saves and goes to the next notepad (Shift+Enter: the previous one);
// Ctrl+Enter shares the defendant; Alt+Down / Alt+Up (or Ctrl+Down / Ctrl+Up) go to the next or
// previous defendant.

const AUTOSAVE_MS = 1500
const HEADER = { 'X-Requested-With': 'fetch' }
const PANEL = '[data-resulting-panel]'
const states = new WeakMap()

function panelOf (element) {
  return element instanceof Element ? element.closest(PANEL) : null
}

function formOf (panel) {
  return panel.querySelector('form[data-resulting-form]')
}

function draftValues (panel) {
  const values = new Map()
  for (const field of panel.querySelectorAll('[data-draft]')) values.set(field.name, field.value)
  return values
}

function stateOf (panel) {
  let state = states.get(panel)
  if (!state) {
    state = { timer: null, queue: Promise.resolve(), saved: draftValues(panel) }
    states.set(panel, state)
  }
  return state
}

function isDirty (panel) {
  const saved = stateOf(panel).saved
  const now = draftValues(panel)
  if (now.size !== saved.size) return true
  for (const [name, value] of now) if (saved.get(name) !== value) return true
  return false
}

function inConflict (panel) {
  return panel.querySelector('[data-conflict]') !== null
}

function setStatus (panel, text) {
  const status = panel.querySelector('[data-save-status]')
  if (status) status.textContent = text
}

// While the page shows what is typed rather than what the server checked, the server decides on sharing.
function refreshShareButton (panel) {
  const share = panel.querySelector('[data-share]')
  if (share && isDirty(panel)) {
    share.disabled = false
    share.removeAttribute('aria-disabled')
  }
}

function schedule (panel) {
  const state = stateOf(panel)
  clearTimeout(state.timer)
  state.timer = setTimeout(() => enqueue(panel, 'save', { auto: true }), AUTOSAVE_MS)
}

// One request at a time per panel, in order: each reads the form (and its version) when it starts.
function enqueue (panel, action, options = {}) {
  const state = stateOf(panel)
  clearTimeout(state.timer)
  state.queue = state.queue.then(() => send(panel, action, options)).catch(() => {})
  return state.queue
}

async function send (panel, action, { auto = false, submitter = null } = {}) {
  if (!panel.isConnected) return
  if (auto && (!isDirty(panel) || inConflict(panel))) return
  const form = formOf(panel)
  const body = new FormData(form) // with the form's CSRF token
  body.set('action', action)
  if (submitter && submitter.name && submitter.name !== 'action') body.set(submitter.name, submitter.value)
  const sent = draftValues(panel)
  setStatus(panel, action === 'share' ? 'Sharing…' : 'Saving…')
  let response
  let html
  try {
    // Not form.action: the buttons named "action" shadow that property.
    response = await fetch(form.getAttribute('action'), {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: HEADER
    })
    html = await response.text()
  } catch (error) {
    setStatus(panel, 'Not saved: the connection failed. Your typing is kept here; press Save draft to try again.')
    return
  }
  if (!html.includes('data-panel-body')) {
    setStatus(panel, `Not saved (the server answered ${response.status}). Your typing is kept here; press Save draft to try again.`)
    return
  }
  swap(panel, html, sent)
}

function focusState (panel) {
  const active = document.activeElement
  if (!active || !panel.contains(active)) return null
  const text = typeof active.selectionStart === 'number'
  return {
    id: active.id,
    value: active.value,
    start: text ? active.selectionStart : null,
    end: text ? active.selectionEnd : null,
    direction: text ? active.selectionDirection : null
  }
}

// Not hidden, and not inside a closed <details> (whose content still has boxes in Chromium).
function isShown (element) {
  if (typeof element.checkVisibility === 'function') return element.checkVisibility()
  return element.getClientRects().length > 0 && !element.closest('details:not([open]) > :not(summary)')
}

function restoreFocus (panel, focus) {
  if (!focus) return
  let target = focus.id ? document.getElementById(focus.id) : null
  if (!target || !panel.contains(target) || !isShown(target) || target.disabled) {
    target = panel.querySelector('[data-panel-heading]')
  }
  target.focus({ preventScroll: true })
  if (document.activeElement !== target) {
    target = panel.querySelector('[data-panel-heading]')
    target.focus({ preventScroll: true })
  }
  if (focus.start !== null && target.value === focus.value && typeof target.setSelectionRange === 'function') {
    target.setSelectionRange(focus.start, focus.end, focus.direction || 'none')
  }
}

// Put the answer in place of the panel's body. `sent` is what the request carried: a field the user
// changed since then keeps its new value (and is saved next); without `sent` (a reload) the server wins.
function swap (panel, html, sent) {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  const fresh = doc.getElementById(panel.id) || doc.querySelector(PANEL)
  const freshBody = fresh && fresh.querySelector('[data-panel-body]')
  const body = panel.querySelector('[data-panel-body]')
  if (!freshBody || !body) return
  const focus = focusState(panel)
  const typed = draftValues(panel)
  body.replaceWith(document.importNode(freshBody, true))
  const state = stateOf(panel)
  state.saved = draftValues(panel)
  if (sent) {
    for (const field of panel.querySelectorAll('[data-draft]')) {
      const now = typed.get(field.name)
      if (now !== undefined && now !== sent.get(field.name) && field.value !== now) field.value = now
    }
  }
  const status = fresh.querySelector('[data-save-status]')
  setStatus(panel, status ? status.textContent.trim() : '')
  restoreFocus(panel, focus)
  refreshShareButton(panel)
  if (isDirty(panel) && !inConflict(panel)) schedule(panel)
}

async function reload (panel, link) {
  const state = stateOf(panel)
  clearTimeout(state.timer)
  state.queue = state.queue.then(async () => {
    const response = await fetch(link.href, { credentials: 'same-origin', headers: HEADER })
    const html = await response.text()
    if (html.includes('data-panel-body')) swap(panel, html, null)
  }).catch(() => setStatus(panel, 'Could not reload: the connection failed.'))
}

function notepads (panel) {
  return [...panel.querySelectorAll('[data-notepad]')].filter(isShown)
}

function focusAtEnd (input) {
  input.focus()
  const end = input.value.length
  if (typeof input.setSelectionRange === 'function') input.setSelectionRange(end, end)
}

function moveToNotepad (panel, from, step) {
  const all = notepads(panel)
  const next = all[all.indexOf(from) + step]
  if (next) focusAtEnd(next)
}

function moveToPanel (panel, step) {
  const panels = [...document.querySelectorAll(PANEL)]
  const next = panels[panels.indexOf(panel) + step]
  if (!next) return
  if (isDirty(panel)) enqueue(panel, 'save', { auto: true })
  const first = notepads(next)[0]
  if (first) {
    focusAtEnd(first)
  } else {
    next.querySelector('[data-panel-heading]').focus()
  }
}

function replaceWord (button) {
  const input = document.getElementById(button.dataset.target)
  const panel = panelOf(button)
  if (!input || !panel) return
  const start = Number(button.dataset.start)
  const end = Number(button.dataset.end)
  if (input.value.slice(start, end) === button.dataset.text) {
    input.value = input.value.slice(0, start) + button.dataset.replacement + input.value.slice(end)
    const caret = start + button.dataset.replacement.length
    input.focus()
    input.setSelectionRange(caret, caret)
    enqueue(panel, 'save', { auto: true })
  } else {
    focusAtEnd(input)
  }
}

document.addEventListener('submit', (event) => {
  const panel = panelOf(event.target)
  if (!panel || !event.target.matches('form[data-resulting-form]')) return
  event.preventDefault()
  const submitter = event.submitter || null
  const action = submitter && submitter.name === 'action' ? submitter.value : 'save'
  enqueue(panel, action, { submitter })
})

document.addEventListener('input', (event) => {
  const panel = panelOf(event.target)
  if (!panel || !event.target.matches('[data-draft]')) return
  refreshShareButton(panel)
  if (event.target.tagName === 'SELECT') {
    enqueue(panel, 'save', { auto: true })
  } else {
    schedule(panel)
  }
})

document.addEventListener('focusout', (event) => {
  const panel = panelOf(event.target)
  if (panel && event.target.matches('[data-draft]') && isDirty(panel)) enqueue(panel, 'save', { auto: true })
})

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null
  const candidate = target && target.closest('[data-candidate]')
  if (candidate) {
    event.preventDefault()
    replaceWord(candidate)
    return
  }
  const link = target && target.closest('a[data-reload]')
  const panel = panelOf(link)
  if (link && panel) {
    event.preventDefault()
    reload(panel, link)
  }
})

document.addEventListener('keydown', (event) => {
  const panel = panelOf(event.target)
  if (!panel || event.isComposing) return
  const target = event.target
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault()
    if (panel.querySelector('[data-share]')) enqueue(panel, 'share')
    return
  }
  const vertical = event.key === 'ArrowDown' || event.key === 'ArrowUp'
  if (vertical && (event.ctrlKey || (event.altKey && target.tagName !== 'SELECT'))) {
    event.preventDefault()
    moveToPanel(panel, event.key === 'ArrowDown' ? 1 : -1)
    return
  }
  if (event.key === 'Enter' && target.dataset.enterAction) {
    event.preventDefault()
    enqueue(panel, target.dataset.enterAction)
    return
  }
  if (event.key === 'Enter' && !event.altKey && target.matches('[data-notepad]')) {
    event.preventDefault()
    enqueue(panel, 'save', { auto: true })
    moveToNotepad(panel, target, event.shiftKey ? -1 : 1)
  }
})

for (const panel of document.querySelectorAll(PANEL)) stateOf(panel)
