// measure.js - appended by chromium-report.sh to a copy of a finding's page:
// measures where Chromium really draws the code and records it as JSON in
// <html data-measure>, for dom.py to check.  x positions are in units of
// one monospace column, from the left of a '{' or '}' that the file has
// in column 0 (so from the code's first column, whatever the gutter).
(function () {
	'use strict';
	var out = { pres: 0, lines: [], errors: [] };

	function text(l) { // a line's code, without its number
		var s = '';
		l.childNodes.forEach(function (n) {
			if (!(n.nodeType === 1 && n.classList.contains('ln')))
				s += n.textContent;
		});
		return s;
	}
	function range(pre, s) { // the Range of the first S in PRE's code
		var w = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT), n;
		while ((n = w.nextNode())) {
			var i = n.data.indexOf(s);
			if (i >= 0 && !n.parentNode.classList.contains('ln')) {
				var r = document.createRange();
				r.setStart(n, i);
				r.setEnd(n, i + s.length);
				return r;
			}
		}
		return null;
	}

	// The code's first column: the first character of a line that starts
	// with one, in this snippet or, failing that, in another snippet drawn
	// at the same x.
	var pres = Array.prototype.slice.call(document.querySelectorAll('pre.src'));
	var origins = pres.map(function (pre) {
		var o = null;
		pre.querySelectorAll('.l').forEach(function (l) {
			var t = text(l);
			if (!o && t && !/^\s/.test(t))
				o = range(l, t.charAt(0));
		});
		return o;
	});
	pres.forEach(function (pre, i) {
		var lines = pre.querySelectorAll('.l'), origin = origins[i], col, ch;
		out.pres++;
		if (!origin)
			origins.forEach(function (o, j) {
				if (o && pres[j].getBoundingClientRect().left === pre.getBoundingClientRect().left)
					origin = origin || o;
			});
		if (!origin) {
			out.errors.push('no line starts in column 0 in any snippet at this x');
			return;
		}
		ch = origin.getBoundingClientRect().width;
		col = function (r) { return (r.getBoundingClientRect().left - origin.getBoundingClientRect().left) / ch; };
		lines.forEach(function (l) {
			var b = l.getBoundingClientRect(), ln = l.querySelector('.ln').getBoundingClientRect();
			var at = l.querySelector('.at'), rec = {
				pre: i, line: Number(l.getAttribute('data-line')),
				text: text(l),
				hl: l.classList.contains('hl'),
				top: b.top, bottom: b.bottom, height: b.height, width: b.width,
				number_top: ln.top, number_right: ln.right,
				code_left: Infinity
			};
			// Where each piece of the line (every wrap) starts.
			var r = document.createRange();
			l.childNodes.forEach(function (n) {
				if (n.nodeType === 1 && n.classList.contains('ln'))
					return;
				r.selectNodeContents(n);
				Array.prototype.forEach.call(r.getClientRects(), function (c) {
					if (c.width > 0)
						rec.code_left = Math.min(rec.code_left, (c.left - origin.getBoundingClientRect().left) / ch);
				});
			});
			if (at) {
				var ar = document.createRange();
				ar.selectNodeContents(at);
				var before = document.createRange();
				before.setStart(l, 0);
				before.setEndBefore(at);
				rec.at = { text: at.textContent, col: col(ar),
					before: before.toString().slice(l.querySelector('.ln').textContent.length) };
			}
			['int tabs', 'int spaces', '/* col 24 */'].forEach(function (s) {
				var k = rec.text.indexOf(s);
				if (k >= 0) {
					var sr = document.createRange(), w = document.createTreeWalker(l, NodeFilter.SHOW_TEXT), n;
					while ((n = w.nextNode())) {
						var j = n.data.indexOf(s);
						if (j >= 0 && !n.parentNode.classList.contains('ln')) {
							sr.setStart(n, j);
							sr.setEnd(n, j + s.length);
							rec[s] = col(sr);
							break;
						}
					}
				}
			});
			out.lines.push(rec);
		});
		out.pre_width = pre.clientWidth;
		out.pre_left = pre.getBoundingClientRect().left;
		out.ch = ch;
	});
	// What a reader who selects a whole snippet copies.
	var pre = document.querySelector('pre.src'), sel = getSelection(), all = document.createRange();
	all.selectNodeContents(pre);
	sel.removeAllRanges();
	sel.addRange(all);
	out.copied = sel.toString();
	out.copied_first = Number(pre.querySelector('.l').getAttribute('data-line'));
	document.documentElement.setAttribute('data-measure', JSON.stringify(out));
})();
