// A kanban board drawn in the browser from JSON columns: the server holds one element, not one per card.
// Cards move by drag and drop, or by their menu (phones, keyboards); a move is shown at once and confirmed by
// the server, which sends the columns again. A column asks for more cards when its end scrolls into view.
export default {
  template: `
    <div class="crm-kanban row no-wrap items-start q-gutter-none" style="gap: 12px; overflow-x: auto; padding-bottom: 8px">
      <template v-if="loading && !cols.length">
        <div v-for="n in skeletons" :key="'s' + n" class="crm-kanban-column rounded-xl q-pa-sm" style="min-width: 16rem; width: 16rem">
          <q-skeleton type="text" width="60%" class="q-mb-sm" />
          <q-skeleton v-for="m in 3" :key="m" type="rect" height="84px" class="q-mb-sm rounded-borders" />
        </div>
      </template>
      <div v-for="col in cols" :key="col.key" :data-kanban-column="col.key"
           class="crm-kanban-column column no-wrap rounded-xl q-pa-sm" :class="{'crm-kanban-over': over === col.key}"
           style="min-width: 16rem; width: 16rem; gap: 8px; flex-shrink: 0"
           @dragover.prevent="over = canMove ? col.key : null" @dragleave="leave(col.key)" @drop.prevent="drop(col.key)">
        <div class="row items-center justify-between q-px-xs">
          <span class="text-weight-medium text-grey-9">{{ col.title }}</span>
          <q-badge rounded color="grey-4" text-color="grey-9" :label="String(col.total)" />
        </div>
        <div v-if="!col.cards.length" class="text-caption crm-muted q-px-xs q-py-md">{{ labels.empty }}</div>
        <div v-for="card in col.cards" :key="card.id" :data-kanban-card="card.id" :draggable="canMove"
             class="crm-kanban-card q-card q-card--bordered q-card--flat no-shadow column q-pa-sm"
             :class="{'cursor-grab': canMove, 'crm-kanban-pending': pending.has(card.id)}" style="gap: 4px"
             @dragstart="start(card, col.key, $event)" @dragend="over = null">
          <div v-if="card.overline || topChips(card).length" class="row items-center no-wrap" style="gap: 8px">
            <span v-if="card.overline" class="text-caption text-primary" style="font-family: monospace">{{ card.overline }}</span>
            <div v-for="chip in topChips(card)" :key="chip.label" :class="chipClass(chip)" :title="chip.tooltip || null"
                 :data-risk="chip.risk" class="q-ml-auto" style="margin-right: 28px">{{ chip.label }}</div>
          </div>
          <a :href="card.href" class="text-weight-medium crm-kanban-title" style="padding-right: 24px; line-height: 1.3">{{ card.title }}</a>
          <div v-if="card.subtitle" class="text-caption crm-muted ellipsis">{{ card.subtitle }}</div>
          <div class="row items-center no-wrap" style="gap: 6px; padding-top: 2px">
            <div v-for="chip in bottomChips(card)" :key="chip.label" :class="chipClass(chip)"
                 :title="chip.tooltip || null">{{ chip.label }}</div>
            <template v-for="item in card.meta || []" :key="item.icon + item.text">
              <i v-if="item.icon" class="q-icon notranslate material-icons crm-muted" style="font-size: 16px"
                 aria-hidden="true">{{ item.icon }}</i>
              <span class="text-caption" :class="item.danger ? 'text-negative text-weight-medium' : 'crm-muted'"
                    :title="item.tooltip || null">{{ item.text }}</span>
            </template>
            <span class="col"></span>
            <span v-if="card.avatar" class="crm-kanban-avatar" :title="card.avatar.tooltip">{{ card.avatar.text }}</span>
            <button v-if="canMove && card.next" type="button" class="crm-kanban-button text-primary"
                    :data-kanban-next="card.id" :aria-label="labels.next" :title="labels.next"
                    @click="move(card, col.key, card.next)">
              <i class="q-icon notranslate material-icons" aria-hidden="true">arrow_forward</i>
            </button>
          </div>
          <button v-if="canMove" type="button" class="crm-kanban-button crm-kanban-menu" :data-kanban-menu="card.id"
                  :aria-label="labels.moveTo" :title="labels.moveTo" aria-haspopup="menu" @click="menuFor = card.id">
            <i class="q-icon notranslate material-icons" aria-hidden="true">more_horiz</i>
            <q-menu v-if="menuFor === card.id" :model-value="true" @update:model-value="(open) => open || (menuFor = null)">
              <q-list dense style="min-width: 12rem">
                <q-item-label header class="text-caption">{{ labels.moveTo }}</q-item-label>
                <q-item v-for="other in cols.filter(c => c.key !== col.key)" :key="other.key" clickable v-close-popup
                        :data-kanban-move="card.id + '-' + other.key" @click="move(card, col.key, other.key)">
                  <q-item-section>{{ other.title }}</q-item-section>
                </q-item>
              </q-list>
            </q-menu>
          </button>
        </div>
        <q-btn v-if="col.total > col.cards.length" flat dense no-caps size="sm" class="full-width"
               :data-kanban-more="col.key" :loading="asked.has(col.key)" @click="more(col.key)"
               :label="labels.more.replace('{n}', col.total - col.cards.length)" />
      </div>
    </div>`,
  props: {
    columns: Array,
    labels: Object,
    canMove: Boolean,
    loading: Boolean,
    skeletons: {type: Number, default: 5},
  },
  data() {
    return {cols: this.copy(this.columns), over: null, dragged: null, pending: new Set(), asked: new Set(),
            menuFor: null};
  },
  watch: {
    columns(value) {
      this.cols = this.copy(value);
      this.pending = new Set();
      this.asked = new Set();
      this.$nextTick(this.observe);
    },
  },
  mounted() {
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) this.more(entry.target.getAttribute("data-kanban-more"));
      }
    });
    this.$nextTick(this.observe);
  },
  unmounted() {
    this.observer?.disconnect();
  },
  methods: {
    copy(columns) {
      return (columns || []).map((c) => ({...c, cards: [...c.cards]}));
    },
    observe() {
      this.observer?.disconnect();
      this.$el.querySelectorAll?.("[data-kanban-more]").forEach((button) => this.observer.observe(button));
    },
    topChips(card) {
      return (card.chips || []).filter((chip) => chip.top);
    },
    bottomChips(card) {
      return (card.chips || []).filter((chip) => !chip.top);
    },
    chipClass(chip) {  // a q-badge's look without a component per chip (a board has hundreds)
      return ["crm-kanban-chip q-badge flex inline items-center no-wrap q-badge--single-line q-badge--rounded",
              chip.outline ? `q-badge--outline text-${chip.color}` : `bg-${chip.color} text-white`];
    },
    start(card, from, event) {
      if (!this.canMove) return;
      this.dragged = {card, from};
      event.dataTransfer?.setData("text/plain", String(card.id));
    },
    leave(key) {
      if (this.over === key) this.over = null;
    },
    drop(to) {
      this.over = null;
      const dragged = this.dragged;
      this.dragged = null;
      if (dragged && dragged.from !== to) this.move(dragged.card, dragged.from, to);
    },
    move(card, from, to) {
      if (!this.canMove || from === to) return;
      const source = this.cols.find((c) => c.key === from);
      const target = this.cols.find((c) => c.key === to);
      if (source && target) {  // shown at once; the server's answer redraws the board
        source.cards = source.cards.filter((c) => c.id !== card.id);
        source.total -= 1;
        target.cards = [card, ...target.cards];
        target.total += 1;
        this.pending.add(card.id);
      }
      this.$emit("move", {id: card.id, from, to});
    },
    more(key) {
      if (!key || this.asked.has(key)) return;
      this.asked.add(key);
      this.$emit("more", {column: key});
    },
  },
};
