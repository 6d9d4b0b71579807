// A line's feedback card as one element: the card's `div` (its id, classes and attributes fall through to
// it), then the `noteHtml` (`Checking…`, or a correct line's quiet sign), then the element's children. The
// note is one element's markup, built and escaped on the server (ui/learning.py), drawn without a wrapper:
// its tag and attributes become a Vue element of their own, its inside that element's HTML. So the DOM is
// the one a `ui.html` or a `ui.icon` in a `ui.column` drew, with no server element for the note. A render
// function, not a template: a template's `v-if` leaves a comment node in the card when there is no note.
import { h } from "vue";

export default {
  props: {
    noteHtml: String,
  },
  computed: {
    drawn() {
      if (!this.noteHtml) return null;
      const holder = document.createElement("template");
      holder.innerHTML = this.noteHtml;
      const element = holder.content.firstElementChild;
      const attributes = Object.fromEntries([...element.attributes].map((item) => [item.name, item.value]));
      return { tag: element.localName, attributes, inside: element.innerHTML };
    },
  },
  render() {
    const children = this.$slots.default?.() ?? [];
    if (!this.drawn) return h("div", children);
    const { tag, attributes, inside } = this.drawn;
    return h("div", [h(tag, { key: "note", ...attributes, innerHTML: inside }), ...children]);
  },
};
