// click.js - appended by chromium-report.sh to a copy of index.html: does
// what a reader does (clicks a column's header twice, a kind in the counts,
// types in the text filter) through the page's own controls, and records
// after each step the fragment and the visible rows (their data-n, in
// order) as JSON in <html data-steps>, for dom.py to check.
(function () {
	'use strict';
	var steps = [];
	function record(what) {
		var rows = document.querySelectorAll('#findings tbody tr');
		steps.push({
			what: what,
			hash: location.hash.replace(/^#/, ''),
			visible: Array.prototype.filter.call(rows, function (r) { return !r.hidden; })
				.map(function (r) { return Number(r.getAttribute('data-n')); }),
			count: Number(document.getElementById('findings').getAttribute('data-visible-count'))
		});
	}
	function header(key) {
		return document.querySelector('#findings th[data-sort="' + key + '"] button');
	}
	record('loaded');
	header('fn').click();
	record('click function');
	header('fn').click();
	record('click function again');
	document.querySelector('#by-kind tr[data-kind="recursive"] a').click();
	record('click recursive');
	var q = document.querySelector('#filter input[name="q"]');
	q.value = 'LIST_LOCK';
	q.dispatchEvent(new Event('input', { bubbles: true }));
	record('type list_lock');
	document.querySelector('#filter button[name="clear"]').click();
	record('show all');
	document.documentElement.setAttribute('data-steps', JSON.stringify(steps));
})();
