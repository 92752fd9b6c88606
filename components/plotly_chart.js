// A Plotly chart that follows its own width: drawn with `narrow` layout changes (angled month labels, fewer ticks,
// readable tiles) and `narrowTraces` trace changes when it is narrower than `breakpoint`, and only ever drawn or
// resized while it is shown.
// NiceGUI's own element resizes on every size change, hidden or not: in a tab panel that closes, Plotly then throws
// «Resize must be passed a displayed plot div element». Here a hidden chart waits, and is drawn when it shows again.
const EVENTS = ["plotly_click", "plotly_legendclick", "plotly_hover", "plotly_unhover", "plotly_relayout"];

function merged(base, changes) {
  const result = { ...base };
  for (const [key, value] of Object.entries(changes || {})) {
    const plain = value && typeof value === "object" && !Array.isArray(value);
    result[key] = plain && base[key] && typeof base[key] === "object" ? merged(base[key], value) : value;
  }
  return result;
}

export default {
  template: "<div></div>",
  props: { options: Object, narrow: Object, narrowTraces: Array, breakpoint: Number },
  async mounted() {
    const { Plotly } = await import("nicegui-plotly");
    this.Plotly = Plotly;
    this.stale = true;
    this.observer = new ResizeObserver(() => this.draw());
    this.observer.observe(this.$el);
    this.draw();
  },
  unmounted() {
    this.observer?.disconnect();
    if (this.Plotly && this.drawn) this.Plotly.purge(this.$el);
  },
  methods: {
    shown() {
      const el = this.$el;
      return el.isConnected && el.clientWidth > 0 && getComputedStyle(el).display !== "none";
    },
    update() {
      // the server sent a new figure
      this.stale = true;
      this.draw();
    },
    draw() {
      if (!this.Plotly || !this.shown()) return; // hidden (a closed tab): drawn when it shows
      const narrow = this.$el.clientWidth < (this.breakpoint || 0);
      if (!this.stale && narrow === this.wasNarrow) {
        this.Plotly.Plots.resize(this.$el).catch(() => {}); // hidden meanwhile: the next draw catches up
        return;
      }
      const { data, layout } = this.options;
      const config = { ...this.options.config, responsive: undefined }; // the observer resizes it, while shown
      const traces = narrow ? data.map((trace, rank) => merged(trace, (this.narrowTraces || [])[rank])) : data;
      this.Plotly.react(this.$el, traces, narrow ? merged(layout || {}, this.narrow) : layout, config);
      this.stale = false;
      this.wasNarrow = narrow;
      if (!this.drawn) {
        this.drawn = true;
        for (const name of EVENTS) {
          this.$el.on(name, (event) =>
            this.$emit(name, {
              ...event,
              points: event?.points?.map((p) => ({ ...p, fullData: undefined, xaxis: undefined, yaxis: undefined })),
              xaxes: undefined,
              yaxes: undefined,
            }),
          );
        }
      }
    },
  },
};
