"use client";
// The rating and ranking questions of a case. Like the rest of the survey they speak of slot letters only. The
// ranking works by drag and drop and by keyboard (move up / move down buttons, a "tied with the one above" box).
import { useState } from "react";
import type { StudyQuestion } from "@/lib/studies/study-questions";

type Rating = Extract<StudyQuestion, { type: "rating" }>;
type Ranking = Extract<StudyQuestion, { type: "ranking" }>;

const SCALE = [1, 2, 3, 4, 5];

export function RatingQuestion({
  question,
  letters,
  value,
  onChange,
}: {
  question: Rating;
  letters: string[];
  value: Record<string, number> | undefined;
  onChange: (v: Record<string, number>) => void;
}) {
  const headingId = `${question.id}-heading`;
  return (
    <fieldset className="text-sm" data-testid={`question-${question.id}`} data-keys-own>
      <legend id={headingId} className="font-medium">
        {question.wording}
        {question.required ? "" : " (optional)"}
      </legend>
      <p className="text-xs text-slate-600">1 not relevant · 5 highly relevant</p>
      <table className="mt-1">
        <tbody>
          {letters.map((letter) => (
            <tr key={letter}>
              <th scope="row" className="pr-2 text-left font-normal">
                Model {letter}
              </th>
              <td>
                <div role="radiogroup" aria-label={`Model ${letter}, rating 1 to 5`} className="flex gap-2">
                  {SCALE.map((n) => (
                    <label key={n} className="flex items-center gap-0.5">
                      <input
                        type="radio"
                        name={`rating-${question.id}-${letter}`}
                        value={n}
                        checked={value?.[letter] === n}
                        onChange={() => onChange({ ...value, [letter]: n })}
                      />
                      {n}
                    </label>
                  ))}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}

interface Item {
  letter: string;
  /** Shares the rank of the item above it. */
  tied: boolean;
}

const toItems = (groups: string[][]): Item[] => groups.flatMap((g) => g.map((letter, i) => ({ letter, tied: i > 0 })));
const toGroups = (items: Item[]): string[][] =>
  items.reduce<string[][]>((groups, it) => {
    if (it.tied && groups.length) groups[groups.length - 1].push(it.letter);
    else groups.push([it.letter]);
    return groups;
  }, []);

export function RankingQuestion({
  question,
  letters,
  value,
  onChange,
}: {
  question: Ranking;
  letters: string[];
  value: string[][] | undefined;
  onChange: (v: string[][]) => void;
}) {
  // A saved ranking that lacks a map (a draft) shows the missing ones at the end, in slot order.
  const given = value ? toItems(value) : [];
  const items = [
    ...given.filter((it) => letters.includes(it.letter)),
    ...letters.filter((l) => !given.some((it) => it.letter === l)).map((letter) => ({ letter, tied: false })),
  ];
  const ranked = value !== undefined && given.length === letters.length;
  const [dragging, setDragging] = useState<number | null>(null);
  const [announce, setAnnounce] = useState("");
  const commit = (next: Item[], message: string) => {
    const fixed = next.map((it, i) => (i === 0 ? { ...it, tied: false } : it));
    onChange(toGroups(fixed));
    setAnnounce(message);
  };
  const move = (from: number, to: number) => {
    if (to < 0 || to >= items.length || from === to) return;
    const next = [...items];
    const [it] = next.splice(from, 1);
    next.splice(to, 0, { ...it, tied: false });
    commit(next, `Model ${it.letter} moved to place ${to + 1} of ${items.length}.`);
  };
  // Competition ranks: tied maps share the best place of their group.
  const place: number[] = [];
  items.forEach((it, i) => place.push(i > 0 && it.tied ? place[i - 1] : i + 1));
  return (
    <fieldset className="text-sm" data-testid={`question-${question.id}`} data-keys-own>
      <legend className="font-medium">
        {question.wording}
        {question.required ? "" : " (optional)"}
      </legend>
      <p className="text-xs text-slate-600">
        Best first. Drag a row, or use its ↑ ↓ buttons{question.allowTies ? "; tick “tie” to share a place" : ""}.
        {ranked ? "" : " Not ranked yet."}
      </p>
      <ol className="mt-1 space-y-1" aria-label={`${question.wording}, best first`}>
        {items.map((it, i) => (
          <li
            key={it.letter}
            draggable
            onDragStart={(e) => {
              setDragging(i);
              e.dataTransfer.effectAllowed = "move";
              e.dataTransfer.setData("text/plain", it.letter);
            }}
            onDragOver={(e) => {
              if (dragging !== null) e.preventDefault();
            }}
            onDrop={(e) => {
              e.preventDefault();
              if (dragging !== null) move(dragging, i);
              setDragging(null);
            }}
            onDragEnd={() => setDragging(null)}
            className={`flex items-center gap-2 rounded border bg-white px-2 py-0.5 ${dragging === i ? "opacity-50" : ""}`}
            data-testid={`rank-item-${it.letter}`}
          >
            <span aria-hidden className="cursor-grab text-slate-400">
              ⠿
            </span>
            <span className="w-5 text-right font-mono" aria-hidden>
              {place[i]}.
            </span>
            <span className="font-medium">Model {it.letter}</span>
            <span className="sr-only">, place {place[i]}</span>
            <span className="ml-auto flex items-center gap-1">
              {question.allowTies && i > 0 && (
                <label className="flex items-center gap-0.5 text-xs">
                  <input
                    type="checkbox"
                    checked={it.tied}
                    onChange={(e) =>
                      commit(
                        items.map((x, j) => (j === i ? { ...x, tied: e.target.checked } : x)),
                        e.target.checked ? `Model ${it.letter} tied with the map above.` : `Model ${it.letter} untied.`,
                      )
                    }
                  />
                  tie<span className="sr-only"> Model {it.letter} with the map above</span>
                </label>
              )}
              <button
                type="button"
                onClick={() => move(i, i - 1)}
                disabled={i === 0}
                className="rounded border px-1.5 disabled:opacity-30"
              >
                ↑<span className="sr-only">Move Model {it.letter} up</span>
              </button>
              <button
                type="button"
                onClick={() => move(i, i + 1)}
                disabled={i === items.length - 1}
                className="rounded border px-1.5 disabled:opacity-30"
              >
                ↓<span className="sr-only">Move Model {it.letter} down</span>
              </button>
            </span>
          </li>
        ))}
      </ol>
      {!ranked && (
        <button
          type="button"
          onClick={() => commit(items, "Order kept as shown.")}
          className="mt-1 rounded border px-2 py-0.5 text-xs"
        >
          Keep this order
        </button>
      )}
      <span className="sr-only" aria-live="polite">
        {announce}
      </span>
    </fieldset>
  );
}
