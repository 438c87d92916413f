// The theory lessons in the Lessons menu: one group listing GET /api/theory; a click opens the lesson's
// interactive figure (computed by the server) in its own view.

import { language, onLanguage } from "../i18n.js";
import { openTheory } from "./view.js";

const HEADING = { en: "Theory: figures to touch", ko: "이론: 직접 만져 보는 그림" };

/** Append the theory group to the menu's list; `onOpen` runs when a lesson opens (e.g. to close the menu). */
export async function addTheoryLessons(list, onOpen) {
  const response = await fetch("/api/theory", { credentials: "same-origin" });
  if (!response.ok) return;
  const lessons = await response.json();
  const group = document.createElement("section");
  group.className = "theory-lessons";
  group.dataset.testid = "theory-lessons";
  const heading = document.createElement("h4");
  const ul = document.createElement("ul");
  const buttons = lessons.map((lesson) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.testid = `theory-${lesson.id}`;
    button.addEventListener("click", () => {
      onOpen?.();
      openTheory(lesson);
    });
    li.append(button);
    ul.append(li);
    return { button, lesson };
  });
  const render = () => {
    const lang = language();
    heading.textContent = HEADING[lang] ?? HEADING.en;
    for (const { button, lesson } of buttons) button.textContent = lesson.title[lang] ?? lesson.title.en;
  };
  render();
  onLanguage(render);
  group.append(heading, ul);
  list.append(group);
}
