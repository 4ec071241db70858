// Live progress on the jobs page: polls /api/jobs/:id for unfinished jobs and updates their bars.
// The page works without it (the reload link); when a job finishes the page reloads to show its result.
(function () {
  'use strict';
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-job-id]')).filter(function (row) {
    var s = row.getAttribute('data-status');
    return s === 'queued' || s === 'running';
  });
  if (rows.length === 0 || !window.fetch) return;

  function update(row) {
    var id = row.getAttribute('data-job-id');
    return fetch('/api/jobs/' + encodeURIComponent(id), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (job) {
        if (!job) return false;
        var bar = row.querySelector('progress');
        var pages = row.querySelector('.job-pages');
        if (bar) { bar.max = Math.max(job.pagesTotal, 1); bar.value = job.pagesDone; }
        if (pages) pages.textContent = job.pagesDone + '/' + job.pagesTotal;
        return job.status !== row.getAttribute('data-status') && (job.status === 'done' || job.status === 'failed');
      })
      .catch(function () { return false; });
  }

  function tick() {
    Promise.all(rows.map(update)).then(function (finished) {
      if (finished.some(Boolean)) window.location.reload();
      else window.setTimeout(tick, 2000);
    });
  }
  window.setTimeout(tick, 1000);
})();
