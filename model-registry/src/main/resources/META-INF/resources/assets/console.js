// stagetune console: sortable tables, the run page's live refresh, and the admin actions. Pages work without it
// (all data is in the HTML); the admin token lives in this tab's sessionStorage only, never in a page.
(function () {
  'use strict';
  var TOKEN_KEY = 'stagetune.adminToken';

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return '';
    return cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
  }

  function makeSortable(table) {
    var head = table.tHead;
    if (!head || head.rows.length !== 1) return;
    Array.prototype.forEach.call(head.rows[0].cells, function (th, index) {
      var button = document.createElement('button');
      button.type = 'button';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(head.rows[0].cells, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var nx = parseFloat(x.replace(/^v/, '')), ny = parseFloat(y.replace(/^v/, ''));
          var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function sortables(root) {
    Array.prototype.forEach.call(root.querySelectorAll('table.sortable'), makeSortable);
  }

  // The run page: while the run is live, ask the API how many epochs there are and re-render the progress block
  // from the page itself (the server draws the curves) when the number changed.
  function live() {
    var progress = document.getElementById('progress');
    if (!progress || progress.getAttribute('data-live') !== 'true') return;
    var run = progress.getAttribute('data-run');
    function poll() {
      fetch('/runs/' + encodeURIComponent(run) + '/epochs', { headers: { Accept: 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (epochs) {
          var current = document.getElementById('progress');
          if (!epochs || String(epochs.length) === current.getAttribute('data-epochs')) return null;
          return fetch(location.pathname).then(function (r) { return r.text(); }).then(function (html) {
            var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('progress');
            if (fresh) {
              current.replaceWith(fresh);
              sortables(fresh);
            }
          });
        })
        .catch(function () { /* the next poll tries again */ })
        .then(function () {
          var now = document.getElementById('progress');
          if (now && now.getAttribute('data-live') === 'true') setTimeout(poll, 2000);
        });
    }
    setTimeout(poll, 2000);
  }

  function actions() {
    var section = document.querySelector('section.actions');
    if (!section) return;
    var model = section.getAttribute('data-model');
    var state = document.getElementById('token-state');
    var result = document.getElementById('action-result');
    function showState() {
      state.textContent = sessionStorage.getItem(TOKEN_KEY) ? 'token set for this session' : 'no token set';
    }
    showState();
    document.getElementById('token-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var input = document.getElementById('token');
      if (input.value) sessionStorage.setItem(TOKEN_KEY, input.value);
      input.value = '';
      showState();
    });
    document.getElementById('forget-token').addEventListener('click', function () {
      sessionStorage.removeItem(TOKEN_KEY);
      showState();
    });
    function send(method, path, body) {
      var headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      var token = sessionStorage.getItem(TOKEN_KEY);
      if (token) headers.Authorization = 'Bearer ' + token;
      result.textContent = 'sending…';
      fetch(path, { method: method, headers: headers, body: JSON.stringify(body) })
        .then(function (response) {
          return response.text().then(function (text) {
            var data = null;
            try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
            if (response.ok) {
              result.className = 'pass';
              result.textContent = 'Done: ' + data.alias + ' now points at version ' + data.version
                + (data.moved ? '' : ' (it already did)') + '. Reloading…';
              setTimeout(function () { location.reload(); }, 800);
            } else {
              result.className = 'fail';
              var why = data && data.error ? data.error
                : (response.status === 401 ? 'an admin token is required: set it above'
                  : response.status === 403 ? 'this token may not change aliases' : response.statusText);
              result.textContent = 'Refused (HTTP ' + response.status + '): ' + why;
            }
          });
        })
        .catch(function (error) {
          result.className = 'fail';
          result.textContent = 'Not sent: ' + error;
        });
    }
    function aliasPath(alias) {
      return '/models/' + encodeURIComponent(model) + '/aliases/' + encodeURIComponent(alias);
    }
    document.getElementById('move-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var form = event.target;
      send('PUT', aliasPath(form.alias.value), { version: Number(form.version.value), reason: form.reason.value });
    });
    document.getElementById('rollback-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var form = event.target;
      send('POST', aliasPath(form.alias.value) + '/rollback', { reason: form.reason.value });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    sortables(document);
    live();
    actions();
  });
}());
