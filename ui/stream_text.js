// A reply's text while it streams in: plain text nodes, each new piece appended (never HTML, never the
// whole text again). `text` is the whole text as of the element's last update (first draw, a redraw of
// the page); `append(piece, start)` adds a piece that begins at `start` (UTF-16 units, as JavaScript
// counts), so a piece already contained in a newer `text` is not added twice and one sent before the
// element was drawn is not lost.
export default {
  template: `<div></div>`,
  props: {
    text: String,
  },
  mounted() {
    this.reset(this.text);
  },
  watch: {
    text(value) {
      this.reset(value);
    },
  },
  methods: {
    reset(text) {
      this.$el.textContent = text || "";
      this.shown = this.$el.textContent.length;
    },
    append(piece, start) {
      const known = this.shown - start;
      if (known < 0 || known >= piece.length) return; // a gap (the next update brings it) or nothing new
      this.$el.appendChild(document.createTextNode(known ? piece.slice(known) : piece));
      this.shown = start + piece.length;
    },
  },
};
