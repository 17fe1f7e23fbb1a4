/* pufa's search: queries the static index `pufa build` writes under /search/ (see
   src/textsearch/). Plain JavaScript, no WebAssembly, no eval, no inline code: works under
   Content-Security-Policy default-src 'self'. Index data is only ever put into the page as
   text nodes, never as HTML.

   The terms are made exactly as src/textsearch/tokens.rs makes them: Chinese as single
   characters, runs of two and of four, and the last three characters of each run; other
   letters and digits as whole lowercase words. */
(function () {
  "use strict";

  var MAX_WORD = 40;
  var SHOWN = 10;
  var WORD_CHAR = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u;
  var UPPER = /\p{Uppercase}/u;

  function isHan(c) {
    var n = c.codePointAt(0);
    return n === 0x3007 || (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) ||
      (n >= 0xf900 && n <= 0xfaff) || (n >= 0x20000 && n <= 0x3ffff);
  }

  function normalize(c) {
    var n = c.codePointAt(0);
    if (n === 0x3000) c = " ";
    else if (n >= 0xff01 && n <= 0xff5e) c = String.fromCodePoint(n - 0xfee0);
    if (c.codePointAt(0) < 128) return c.toLowerCase();
    if (UPPER.test(c)) return Array.from(c.toLowerCase())[0];
    return c;
  }

  function isWordChar(c) { return WORD_CHAR.test(c) && !isHan(c); }
  function isJoiner(c) { return "-/._@+".indexOf(c) >= 0; }

  /* A query word as units: {han: [characters]} or {word: "gb/t"}. */
  function units(text) {
    var chars = Array.from(text).map(normalize), out = [], i = 0;
    while (i < chars.length) {
      var start = i;
      if (isHan(chars[i])) {
        while (i < chars.length && isHan(chars[i])) i++;
        out.push({ han: chars.slice(start, i) });
      } else if (isWordChar(chars[i])) {
        while (i < chars.length && (isWordChar(chars[i]) ||
          (isJoiner(chars[i]) && i + 1 < chars.length && isWordChar(chars[i + 1])))) i++;
        out.push({ word: chars.slice(start, Math.min(i, start + MAX_WORD)).join("") });
      } else {
        i++;
      }
    }
    return out;
  }

  /* The terms a unit needs, with their offsets and the text that places each in its shard:
     up to four Chinese characters are one term; a longer word is its four-character pieces,
     checked for adjacency by position. A four-character term lives in the shard of its first
     three characters, where a three-character word is found by prefix (the index keeps a
     three-character term only at the end of a run of Chinese). */
  function termsOf(unit) {
    if (unit.word) return [{ text: unit.word, at: 0, place: unit.word }];
    var c = unit.han, n = c.length;
    function term(o, size) {
      var text = c.slice(o, o + size).join("");
      return { text: text, at: o, place: size >= 3 ? c.slice(o, o + 3).join("") : text, prefix: size === 3 };
    }
    if (n <= 4) return [term(0, n)];
    var offsets = [];
    for (var o = 0; o < n - 3; o += 4) offsets.push(o);
    if (offsets[offsets.length - 1] !== n - 4) offsets.push(n - 4);
    return offsets.map(function (o) { return term(o, 4); });
  }

  function fnv1a(bytes) {
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h;
  }

  var encoder = new TextEncoder();

  function reader(bytes) {
    var at = 0;
    return {
      varint: function () {
        var n = 0, shift = 0, b;
        do { b = bytes[at++]; n += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b >= 0x80);
        return n;
      },
      byte: function () { return bytes[at++]; },
      skip: function (n) { at += n; },
      get at() { return at; },
      done: function () { return at >= bytes.length; },
      same: function (key) {
        for (var i = 0; i < key.length; i++) if (bytes[at + i] !== key[i]) return false;
        return true;
      }
    };
  }

  /* The blocks of `key` in a shard file, as readers: the one of `key` itself, or with `prefix`
     those of every term that starts with it. */
  function find(bytes, key, prefix) {
    var r = reader(bytes), found = [];
    while (!r.done()) {
      var len = r.varint(), match = (len === key.length || prefix && len > key.length) && r.same(key);
      r.skip(len);
      var size = r.varint();
      if (match) found.push(reader(bytes.subarray(r.at, r.at + size)));
      if (match && !prefix) return found;
      r.skip(size);
    }
    return found;
  }

  /* `base`: the URL of the bundle folder; `load(url, "json" | "bytes")` returns a promise. */
  function Engine(base, load) {
    this.base = base;
    this.load = load;
    this.files = {};
    this.manifest = null;
  }

  Engine.prototype.file = function (name, type) {
    if (!this.files[name]) this.files[name] = this.load(this.base + name, type);
    return this.files[name];
  };

  Engine.prototype.open = function () {
    var self = this;
    if (!this.opening) {
      this.opening = this.load(this.base + "index.json", "json").then(function (m) {
        self.manifest = m;
        self.synonyms = {};
        m.synonyms.forEach(function (s) { self.synonyms[Array.from(s[0]).map(normalize).join("")] = s[1]; });
        return m;
      });
    }
    return this.opening;
  };

  function hashAt(all, i, width) { return all.substr(i * width, width); }

  Engine.prototype.shard = function (letter, term) {
    var m = this.manifest, key = encoder.encode(term.text);
    var shard = fnv1a(encoder.encode(term.place)) % m.shards;
    var hashes = letter === "d" ? m.docs : m.positions;
    var width = hashes.length / m.shards;
    return this.file(letter + shard + "." + hashAt(hashes, shard, width) + ".bin", "bytes")
      .then(function (bytes) { return find(new Uint8Array(bytes), key, term.prefix); });
  };

  /* term -> Map(record -> weight); a prefix's terms as one, their weights added */
  Engine.prototype.postings = function (term) {
    return this.shard("d", term).then(function (found) {
      var docs = new Map();
      found.forEach(function (r) {
        var n = r.varint(), id = 0;
        for (var i = 0; i < n; i++) {
          id += r.varint();
          docs.set(id, Math.min(255, (docs.get(id) || 0) + r.byte()));
        }
      });
      return docs;
    });
  };

  /* four-character term -> Map(record -> [positions]) */
  Engine.prototype.positions = function (term, docs) {
    return this.shard("p", term).then(function (found) {
      var out = new Map(), r = found[0];
      if (!r) return out;
      docs.forEach(function (_, id) {
        var n = r.varint(), list = [], p = 0;
        for (var i = 0; i < n; i++) { p += r.varint(); list.push(p); }
        out.set(id, list);
      });
      return out;
    });
  };

  /* record -> score, for one unit: every term present, long words checked for adjacency. */
  Engine.prototype.unit = function (unit) {
    var self = this, terms = termsOf(unit), N = this.manifest.records;
    return Promise.all(terms.map(function (t) { return self.postings(t); })).then(function (lists) {
      var scores = new Map();
      lists[0].forEach(function (_, id) {
        if (lists.every(function (l) { return l.has(id); })) scores.set(id, 0);
      });
      lists.forEach(function (l) {
        var idf = Math.log(1 + (N - l.size + 0.5) / (l.size + 0.5));
        scores.forEach(function (s, id) { scores.set(id, s + idf * l.get(id) / 255); });
      });
      if (terms.length < 2 || scores.size === 0) return scores;
      return Promise.all(terms.map(function (t, k) { return self.positions(t, lists[k]); }))
        .then(function (pos) {
          scores.forEach(function (_, id) {
            var first = pos[0].get(id) || [];
            var adjacent = first.some(function (p) {
              return terms.every(function (t, k) {
                return (pos[k].get(id) || []).indexOf(p + t.at) >= 0;
              });
            });
            if (!adjacent) scores.delete(id);
          });
          return scores;
        });
    });
  };

  /* record -> score for one spelling of a word: all its units. */
  Engine.prototype.spelling = function (text) {
    var parts = units(text);
    if (!parts.length) return Promise.resolve(null);
    return Promise.all(parts.map(this.unit, this)).then(function (maps) {
      var out = new Map();
      maps[0].forEach(function (s, id) {
        var total = s;
        for (var k = 1; k < maps.length; k++) {
          if (!maps[k].has(id)) return;
          total += maps[k].get(id);
        }
        out.set(id, total);
      });
      return out;
    });
  };

  /* The words of a query, each with its spellings (itself, then its synonyms). */
  Engine.prototype.words = function (query) {
    var self = this;
    return query.split(/[\s\u3000]+/).filter(function (w) { return units(w).length; }).slice(0, 8)
      .map(function (w) {
        var key = Array.from(w).map(normalize).join("");
        return [w].concat(self.synonyms[key] || []);
      });
  };

  /* {ids: [record ids, best first], words} for `query`, only records of `kind` if given. */
  Engine.prototype.search = function (query, kind) {
    var self = this;
    return this.open().then(function (m) {
      var words = self.words(query);
      if (!words.length) return { ids: [], words: words };
      return Promise.all(words.map(function (spellings) {
        return Promise.all(spellings.map(self.spelling, self)).then(function (maps) {
          var best = new Map();
          maps.forEach(function (map, k) {
            if (!map) return;
            map.forEach(function (s, id) {
              var score = k === 0 ? s : s * 0.8;
              if (!best.has(id) || best.get(id) < score) best.set(id, score);
            });
          });
          return best;
        });
      })).then(function (maps) {
        var range = kind && m.kinds.filter(function (k) { return k.name === kind; })[0];
        var total = [];
        maps[0].forEach(function (s, id) {
          if (range && (id < range.start || id >= range.end)) return;
          for (var k = 1; k < maps.length; k++) {
            if (!maps[k].has(id)) return;
            s += maps[k].get(id);
          }
          total.push([id, s]);
        });
        total.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
        return { ids: total.map(function (t) { return t[0]; }), words: words };
      });
    });
  };

  /* The shown records: [{url, title, kind, text}]. */
  Engine.prototype.records = function (ids) {
    var self = this, m = this.manifest, width = m.meta.length / Math.ceil(m.records / m.chunk);
    return Promise.all(ids.map(function (id) {
      var chunk = Math.floor(id / m.chunk);
      return self.file("m" + chunk + "." + hashAt(m.meta, chunk, width) + ".json", "json")
        .then(function (rows) {
          var row = rows[id % m.chunk];
          return { url: row[0], title: row[1], kind: row[2], text: row[3] };
        });
    }));
  };

  /* Pieces of `text` around the first match of any needle: [{text, mark}]. The window starts a
     little before the match, but no later than where it would run past the end: a text that
     fits is shown whole (a directory entry's role and township come first). */
  function excerpt(text, needles, size) {
    var chars = Array.from(text), norm = chars.map(normalize);
    var keys = needles.map(function (n) { return Array.from(n).map(normalize); })
      .filter(function (k) { return k.length; });
    function matchAt(i) {
      for (var k = 0; k < keys.length; k++) {
        var key = keys[k], j = 0;
        while (j < key.length && norm[i + j] === key[j]) j++;
        if (j === key.length) return key.length;
      }
      return 0;
    }
    var first = -1;
    for (var i = 0; i < chars.length && first < 0; i++) if (matchAt(i)) first = i;
    var start = first < 0 ? 0 : Math.max(0, Math.min(first - 20, chars.length - size));
    var end = Math.min(chars.length, start + size);
    var pieces = [], plain = start > 0 ? "…" : "";
    for (i = start; i < end;) {
      var len = matchAt(i);
      if (len) {
        if (plain) pieces.push({ text: plain, mark: false });
        pieces.push({ text: chars.slice(i, i + len).join(""), mark: true });
        plain = "";
        i += len;
      } else {
        plain += chars[i++];
      }
    }
    if (end < chars.length) plain += "…";
    if (plain) pieces.push({ text: plain, mark: false });
    return pieces;
  }

  /* The texts to mark: every spelling's Chinese runs and words. */
  function needles(words) {
    var out = [];
    words.forEach(function (spellings) {
      spellings.forEach(function (s) {
        units(s).forEach(function (u) { out.push(u.word || u.han.join("")); });
      });
    });
    return out.sort(function (a, b) { return b.length - a.length; });
  }

  /* What the count of results says besides the query: the synonyms searched too, so that a
     citizen who typed 离婚 knows why the results say 婚姻家庭. */
  function alsoSearched(words) {
    var seen = {}, out = [];
    words.forEach(function (spellings) {
      spellings.slice(1).forEach(function (s) {
        if (!seen[s]) { seen[s] = true; out.push(s); }
      });
    });
    return out.length ? "（同时搜索了" + out.map(function (s) { return "“" + s + "”"; }).join("") + "）" : "";
  }

  var api = { units: units, termsOf: termsOf, fnv1a: fnv1a, Engine: Engine, excerpt: excerpt, needles: needles, alsoSearched: alsoSearched };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof document === "undefined") return;

  /* The search page. */
  var root = document.getElementById("search");
  if (!root) return;
  var form = root.querySelector("form");
  var input = document.getElementById("search-q");
  var kindBox = document.getElementById("search-kind");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var hotline = root.getAttribute("data-hotline");
  var indexUrl = root.getAttribute("data-index");
  var engine = new Engine(indexUrl.replace(/[^/]*$/, ""), function (url, type) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return type === "json" ? r.json() : r.arrayBuffer();
    });
  });
  var latest = 0, found = null, timer = null;

  function say(parts) {
    status.textContent = "";
    parts.forEach(function (p) {
      if (typeof p === "string") { status.appendChild(document.createTextNode(p)); return; }
      var a = document.createElement("a");
      a.href = p.href;
      a.textContent = p.text;
      status.appendChild(a);
    });
  }

  /* Appends the pieces of an excerpt to `parent`: text nodes, and <mark> for the matches. */
  function appendMarked(parent, pieces) {
    pieces.forEach(function (piece) {
      if (piece.mark) {
        var mark = document.createElement("mark");
        mark.textContent = piece.text;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(piece.text));
      }
    });
  }

  function item(record) {
    var li = document.createElement("li");
    var marks = needles(found.words);
    var link = document.createElement("a");
    link.href = record.url;
    link.className = "result-title";
    // The whole title, its matches marked as in the excerpt.
    appendMarked(link, excerpt(record.title, marks, Array.from(record.title).length));
    li.appendChild(link);
    var kind = document.createElement("span");
    kind.className = "result-kind";
    kind.textContent = record.kind;
    li.appendChild(kind);
    var p = document.createElement("p");
    appendMarked(p, excerpt(record.text, marks, 90));
    li.appendChild(p);
    return li;
  }

  function show(from, ticket) {
    var ids = found.ids.slice(from, from + SHOWN);
    return engine.records(ids).then(function (records) {
      if (ticket !== latest) return;
      records.forEach(function (r) { list.appendChild(item(r)); });
      more.hidden = found.ids.length <= from + SHOWN;
    });
  }

  function run(query) {
    var ticket = ++latest;
    list.textContent = "";
    more.hidden = true;
    if (!query) { say([]); return; }
    say(["正在搜索……"]);
    engine.search(query, kindBox.value).then(function (result) {
      if (ticket !== latest) return;
      found = result;
      var n = result.ids.length;
      if (n) {
        // Announced once the first results are on the page.
        return show(0, ticket).then(function () {
          if (ticket === latest) say(["找到 " + n + " 条与“" + query + "”有关的结果" + alsoSearched(result.words) + "。"]);
        });
      }
      say(["没有找到与“" + query + "”有关的内容。可以换个说法，少输几个字，或拨打公共法律服务热线 ",
        { href: "tel:" + hotline, text: hotline }, " 咨询。"]);
    }).catch(function () {
      if (ticket === latest) say(["搜索暂时无法使用，请稍后再试，或拨打 ", { href: "tel:" + hotline, text: hotline }, " 咨询。"]);
    });
  }

  function remember(query) {
    var url = "?q=" + encodeURIComponent(query) + (kindBox.value ? "&kind=" + encodeURIComponent(kindBox.value) : "");
    history.replaceState(null, "", query ? url : location.pathname);
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  engine.open().then(function (m) {
    m.kinds.forEach(function (k) {
      var option = document.createElement("option");
      option.value = k.name;
      option.textContent = k.name;
      kindBox.appendChild(option);
    });
    kindBox.value = params.get("kind") || "";
    document.getElementById("search-kind-group").hidden = false;
  }).catch(function () {});
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    var q = input.value.trim();
    remember(q);
    run(q);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      remember(q);
      run(q);
    }, 300);
  });
  kindBox.addEventListener("change", function () {
    var q = input.value.trim();
    remember(q);
    run(q);
  });
  more.addEventListener("click", function () {
    var next = list.children[list.children.length - 1 - 0];
    show(list.children.length, latest).then(function () {
      var first = next && next.nextElementSibling;
      if (first) first.querySelector("a").focus();
    });
  });
  engine.open().then(function () { run(input.value.trim()); }, function () { run(input.value.trim()); });
})();
