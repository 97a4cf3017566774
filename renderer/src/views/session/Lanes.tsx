// The two lanes side by side: what the model sent (Raw tokens) and what the end user would see (Filtered
// tokens). One shared row grid (lane-layout.ts) makes scroll-sync exact, and a fixed row height makes
// virtualization arithmetic: the rows on screen are [scrollTop / h, (scrollTop + height) / h), so a
// 100k-token session renders only those, with no per-row measurement (a measuring virtualizer such as
// @tanstack/react-virtual rebuilds its O(rows) measurement list on every batch, and following the bottom
// through it costs a second render per batch). While at the bottom the lanes follow new text in the same
// render. Selecting text (or clicking a token) in the raw lane feeds the inspector.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useAppStore, useStore } from '../../store/store';
import { spanAt, type TurnData, type TurnsState } from '../../store/turn-model';
import { createLayoutCache, locateRow, markKey, rowOfRawOffset, type LaneLayout } from '../../text/lane-layout';
import { LaneRow, type LaneKind } from './LaneRow';
import { useCommitted, usePaced } from './lane-pace';
import { drawShades, NEVER_DRAWN, ShadeRows, ShadeRowsContext, type ShadeMetrics } from './shade-canvas';

/**
 * One row of a lane, in px; also the lanes' line height (set as --row-h, the CSS reads it). 24 leaves a band
 * above the glyphs of each line for the PII type chip of that line, so a chip never covers the line above.
 */
export const ROW_HEIGHT = 24;
const GUTTER_COLS = 5;
const DEFAULT_COLS = 80;
const OVERSCAN = 8;
/**
 * Rows above the window while following the bottom: nothing scrolls them into view but the user, whose
 * scroll renders the window anew; fewer rows to replace per frame when the text runs fast.
 */
const FOLLOW_OVERSCAN = 2;
/** Before the first measurement (and in jsdom): assume a screenful. */
const DEFAULT_VIEWPORT = 600;

interface RowWindow {
  start: number;
  end: number;
}

interface LaneProps {
  kind: LaneKind;
  label: string;
  layout: LaneLayout;
  turns: TurnData[];
  rows: RowWindow;
  boundaries: boolean;
  scrollRef: RefObject<HTMLDivElement | null>;
  onScroll(kind: LaneKind): void;
  onMouseUp?: (e: React.MouseEvent) => void;
  selection?: { turnId: string; start: number; end: number };
  selectedTurnId?: string;
  onSelectTurn(turnId: string): void;
  /** Structured outputs whose JSON is shown (markKey). */
  expanded: ReadonlySet<string>;
  onToggleMark(key: string): void;
  legend: React.ReactNode;
  /** Advance of one character of the lanes' font (0 before the first measurement). */
  charW: number;
  /** The colour scheme (the token shades' colours follow it). */
  theme: string;
}

/**
 * Where a plain row's text lies in its row, read from one that is laid out (the gutter's width is CSS's);
 * undefined while there is none or the font is not measured (jsdom).
 */
function measureText(rowsEl: HTMLElement | null, charW: number, cols: number): ShadeMetrics | undefined {
  const el = rowsEl?.querySelector<HTMLElement>('[data-plain]');
  const row = el?.closest<HTMLElement>('.row');
  if (!el?.firstChild || !row || !charW) return undefined;
  const t = textBox(el);
  const r = row.getBoundingClientRect();
  if (!t.height) return undefined;
  const textLeft = t.left - r.left;
  return { charW, textLeft, bandTop: t.top - r.top, bandHeight: t.height, width: Math.ceil(textLeft + cols * charW) + 2 };
}

/** The box of an element's text itself (a plain row's element is as wide as the row; its text is not). */
function textBox(el: HTMLElement): DOMRect {
  const range = document.createRange();
  range.selectNodeContents(el);
  return range.getBoundingClientRect();
}

const Lane = memo(function Lane(props: LaneProps) {
  const { layout, turns, kind, rows } = props;
  const empty = layout.total === 0;
  const shadeRows = useMemo(() => new ShadeRows(), []);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawn = useRef(NEVER_DRAWN);
  const metrics = useRef<{ key: string; m: ShadeMetrics } | undefined>(undefined);
  /** Rows the canvas spans: the most the window has held (a steady size is not reallocated every frame). */
  const span = useRef(0);
  // After the rows' own layout effects (they register their shades): paint what changed.
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const key = `${layout.cols}/${props.charW}`;
    if (metrics.current?.key !== key) {
      const m = measureText(canvas.parentElement, props.charW, layout.cols);
      metrics.current = m ? { key, m } : undefined;
    }
    // Never past the last row: the canvas would lengthen the scroll extent.
    span.current = Math.min(layout.total, Math.max(span.current, rows.end - rows.start));
    const first = Math.max(0, Math.min(rows.start, layout.total - span.current));
    drawn.current = drawShades(canvas, shadeRows, first * ROW_HEIGHT, span.current * ROW_HEIGHT, metrics.current?.m, props.theme, drawn.current);
  });
  const onClick = (e: React.MouseEvent) => {
    const toggle = (e.target as HTMLElement).closest<HTMLElement>('[data-mark-toggle]')?.dataset.markToggle;
    if (toggle) return props.onToggleMark(toggle);
    const head = (e.target as HTMLElement).closest('.row-head');
    const turnId = head?.closest<HTMLElement>('[data-turn]')?.dataset.turn;
    if (turnId) props.onSelectTurn(turnId);
  };
  const items: React.ReactNode[] = [];
  for (let index = rows.start; index < rows.end; index++) {
    const row = locateRow(layout, index);
    const turn = row ? turns[row.turn] : undefined;
    if (!row || !turn) continue;
    const sel = props.selection && props.selection.turnId === turn.turnId && kind === 'raw' ? props.selection : undefined;
    items.push(
      <LaneRow
        key={index}
        kind={kind}
        turn={turn}
        version={turn.version}
        row={row}
        cols={layout.cols}
        boundaries={props.boundaries}
        selection={sel}
        selectedTurn={props.selectedTurnId === turn.turnId}
        top={index * ROW_HEIGHT}
        height={ROW_HEIGHT}
        expanded={row.kind === 'mark' ? props.expanded.has(markKey(turn.turnId, row.mark)) : undefined}
      />,
    );
  }
  return (
    <section className={`lane lane-${kind}`} role="region" aria-label={props.label}>
      <header className="lane-head">
        <h2>{props.label}</h2>
        <div className="legend">{props.legend}</div>
      </header>
      <div
        className="lane-scroll"
        ref={props.scrollRef}
        tabIndex={0}
        onScroll={() => props.onScroll(kind)}
        onMouseUp={props.onMouseUp}
        onClick={onClick}
        aria-label={`${props.label}, scrollable`}
      >
        {empty ? (
          <div className="lane-empty">{kind === 'raw' ? 'Tokens appear here as they arrive.' : 'Released text appears here.'}</div>
        ) : (
          <div className="lane-body" style={{ height: layout.total * ROW_HEIGHT }}>
            {/* A fixed-size containing block: growing the scroll extent does not re-lay-out the rows. */}
            <div className="lane-rows">
              {/* First: painted under the rows. */}
              <canvas className="lane-shades" ref={canvasRef} aria-hidden="true" />
              <ShadeRowsContext.Provider value={shadeRows}>{items}</ShadeRowsContext.Provider>
            </div>
          </div>
        )}
      </div>
    </section>
  );
});

const RAW_LEGEND = (
  <>
    <span className="lg lg-hit">PII hit</span>
    <span className="lg lg-held">held back</span>
    <span className="lg lg-mk">⟨U+…⟩ invisible char</span>
  </>
);
const FILTERED_LEGEND = <span className="lg lg-masked">masked</span>;

/** Raw offset of a DOM point inside the raw lane, or undefined. */
function offsetOf(node: Node | null, nodeOffset: number): { turnId: string; offset: number } | undefined {
  if (!node) return undefined;
  const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : (node as Element);
  const piece = el?.closest<HTMLElement>('[data-o]');
  const row = el?.closest<HTMLElement>('[data-turn]');
  if (!piece || !row?.dataset.turn) return undefined;
  const base = Number(piece.dataset.o);
  if (!Number.isFinite(base)) return undefined;
  const within = piece.dataset.m ? (nodeOffset > 0 ? 1 : 0) : node.nodeType === Node.TEXT_NODE ? nodeOffset : 0;
  return { turnId: row.dataset.turn, offset: base + within };
}

/**
 * The token under the pointer in a plain row (one text node of printable ASCII in a monospace font, see
 * segments.ts isPlainRow): every character is the same width, so the column is the pointer's share of it.
 */
function tokenAtPoint(piece: HTMLElement, x: number, t: TurnData): number {
  const base = Number(piece.dataset.o);
  const chars = piece.textContent?.length ?? 0;
  const box = textBox(piece);
  if (!Number.isFinite(base) || !chars || !box.width) return NaN;
  const col = Math.min(chars - 1, Math.max(0, Math.floor(((x - box.left) / box.width) * chars)));
  const si = spanAt(t, base + col);
  return si >= 0 ? (t.spanToken[si] ?? NaN) : NaN;
}

/** 'dark' or 'light', following the OS as theme.css does (the canvas's colours are read anew on a change). */
function useColorScheme(): string {
  const [query] = useState(() => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined));
  const [dark, setDark] = useState(() => Boolean(query?.matches));
  useEffect(() => {
    if (!query) return;
    const on = () => setDark(query.matches);
    query.addEventListener('change', on);
    return () => query.removeEventListener('change', on);
  }, [query]);
  return dark ? 'dark' : 'light';
}

/** What a change of the turns is measured by (lane-pace.ts): the characters of both lanes. */
function laneText(turns: TurnsState): number {
  let n = 0;
  for (const id of turns.order) {
    const t = turns.byId[id];
    if (t) n += t.raw.length + t.filtered.length;
  }
  return n;
}

export function Lanes() {
  const store = useAppStore();
  // The turns as last shown: see lane-pace.ts (a fast stream is taken in no faster than the lanes can draw it).
  const paced = usePaced(store.subscribe, useCallback(() => store.getState().session.turns, [store]), laneText);
  const { order, byId } = paced.value;
  const boundaries = useStore((s) => s.settings.values.showTokenBoundaries);
  const selection = useStore((s) => s.ui.selection);
  const selectedTurnId = useStore((s) => s.ui.selectedTurnId);
  const turns = useMemo(() => order.map((id) => byId[id]).filter((t): t is TurnData => Boolean(t)), [order, byId]);
  const [cols, setCols] = useState(DEFAULT_COLS);
  const [charW, setCharW] = useState(0);
  const theme = useColorScheme();
  const [viewport, setViewport] = useState(DEFAULT_VIEWPORT);
  const [scrollTop, setScrollTop] = useState(0);
  const [follow, setFollow] = useState(true);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const cache = useRef(createLayoutCache());
  const layout = useMemo(() => cache.current.layout(turns, cols, expanded), [turns, cols, expanded]);
  const rawRef = useRef<HTMLDivElement>(null);
  const filteredRef = useRef<HTMLDivElement>(null);
  /** The scrollTop we set ourselves; its scroll events are not the user's. */
  const programmatic = useRef<number | null>(null);

  const maxTop = Math.max(0, layout.total * ROW_HEIGHT - viewport);
  const top = follow ? maxTop : Math.min(scrollTop, maxTop);
  const start = Math.max(0, Math.floor(top / ROW_HEIGHT) - (follow ? FOLLOW_OVERSCAN : OVERSCAN));
  const end = Math.min(layout.total, Math.ceil((top + viewport) / ROW_HEIGHT) + OVERSCAN);
  const rows: RowWindow = useMemo(() => ({ start, end }), [start, end]);

  // Columns from the lane's width and the monospace character width; viewport height for the window.
  useEffect(() => {
    const el = rawRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const probe = document.createElement('span');
    probe.className = 'probe';
    probe.textContent = '0'.repeat(50);
    el.appendChild(probe);
    const measure = () => {
      if (el.clientHeight) setViewport(el.clientHeight);
      const charW = probe.getBoundingClientRect().width / 50;
      if (!charW) return;
      setCharW(charW);
      setCols(Math.max(20, Math.floor((el.clientWidth - 16) / charW) - GUTTER_COLS - 1));
    };
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => {
      ro.disconnect();
      probe.remove();
    };
  }, []);

  // Put both lanes where this render drew them (no layout read: the position is known).
  useLayoutEffect(() => {
    for (const el of [rawRef.current, filteredRef.current]) {
      if (el && Math.abs(el.scrollTop - top) >= 1) {
        programmatic.current = top;
        el.scrollTop = top;
      }
    }
  }, [top]);
  // After the scroll above: what showing new turns cost, layout included, paces the next (lane-pace.ts).
  useCommitted(paced);

  const onScroll = useCallback(
    (kind: LaneKind) => {
      const from = kind === 'raw' ? rawRef.current : filteredRef.current;
      const to = kind === 'raw' ? filteredRef.current : rawRef.current;
      if (!from) return;
      const y = from.scrollTop;
      if (programmatic.current !== null && Math.abs(y - programmatic.current) < 1) return;
      programmatic.current = null;
      if (to && Math.abs(to.scrollTop - y) >= 1) {
        programmatic.current = y;
        to.scrollTop = y;
      }
      setScrollTop(y);
      // Back at the bottom = follow again; scrolled up = stay put while text arrives.
      setFollow(y >= maxTop - ROW_HEIGHT * 2);
    },
    [maxTop],
  );

  // Bring an inspected range into view (e.g. typed into the inspector).
  useEffect(() => {
    if (!selection) return;
    const ti = order.indexOf(selection.turnId);
    const t = byId[selection.turnId];
    if (ti < 0 || !t) return;
    const y = rowOfRawOffset(layout, t, ti, selection.start) * ROW_HEIGHT;
    if (y < top || y > top + viewport - ROW_HEIGHT) {
      setFollow(false);
      setScrollTop(Math.max(0, y - viewport / 3));
    }
    // Only when the selection itself changes, not on every batch.
  }, [selection]);

  const onMouseUp = useCallback(
    (e: React.MouseEvent) => {
      const sel = window.getSelection();
      const ui = store.getState().ui;
      if (!sel || sel.isCollapsed) {
        // A click on a token selects the whole token.
        const piece = (e.target as HTMLElement).closest<HTMLElement>('[data-tok], [data-plain]');
        const turnId = piece?.closest<HTMLElement>('[data-turn]')?.dataset.turn;
        const t = turnId ? store.getState().session.turns.byId[turnId] : undefined;
        const tok = piece?.dataset.tok !== undefined ? Number(piece.dataset.tok) : piece && t ? tokenAtPoint(piece, e.clientX, t) : NaN;
        if (t && Number.isFinite(tok)) {
          let start = -1;
          let end = -1;
          for (let i = 0; i < t.spanStart.length; i++) {
            if (t.spanToken[i] !== tok) continue;
            if (start < 0) start = t.spanStart[i]!;
            end = t.spanStart[i + 1] ?? t.raw.length;
          }
          if (start >= 0) ui.setSelection({ turnId: t.turnId, start, end });
        }
        return;
      }
      const a = offsetOf(sel.anchorNode, sel.anchorOffset);
      const b = offsetOf(sel.focusNode, sel.focusOffset);
      if (!a) return;
      const t = store.getState().session.turns.byId[a.turnId];
      if (!t) return;
      let other = b && b.turnId === a.turnId ? b.offset : undefined;
      if (other === undefined) other = b && order.indexOf(b.turnId) < order.indexOf(a.turnId) ? 0 : t.raw.length;
      const start = Math.min(a.offset, other);
      const end = Math.max(a.offset, other);
      if (end > start) ui.setSelection({ turnId: a.turnId, start, end });
    },
    [store, order],
  );

  const onSelectTurn = useCallback((turnId: string) => store.getState().ui.select(turnId), [store]);
  const onToggleMark = useCallback(
    (key: string) => {
      // Opening a JSON is reading: stay where the lanes are now instead of following new text.
      setScrollTop(top);
      setFollow(false);
      setExpanded((cur) => {
        const next = new Set(cur);
        if (!next.delete(key)) next.add(key);
        return next;
      });
    },
    [top],
  );

  return (
    <div className="lanes" style={{ '--row-h': `${ROW_HEIGHT}px` } as React.CSSProperties}>
      <Lane
        kind="raw"
        label="Raw tokens"
        layout={layout}
        turns={turns}
        rows={rows}
        boundaries={boundaries}
        scrollRef={rawRef}
        onScroll={onScroll}
        onMouseUp={onMouseUp}
        selection={selection}
        selectedTurnId={selectedTurnId}
        onSelectTurn={onSelectTurn}
        expanded={expanded}
        onToggleMark={onToggleMark}
        legend={RAW_LEGEND}
        charW={charW}
        theme={theme}
      />
      <Lane
        kind="filtered"
        label="Filtered tokens"
        layout={layout}
        turns={turns}
        rows={rows}
        boundaries={boundaries}
        scrollRef={filteredRef}
        onScroll={onScroll}
        selectedTurnId={selectedTurnId}
        onSelectTurn={onSelectTurn}
        expanded={expanded}
        onToggleMark={onToggleMark}
        legend={FILTERED_LEGEND}
        charW={charW}
        theme={theme}
      />
    </div>
  );
}
