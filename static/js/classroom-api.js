// The classroom's endpoints: who am I, joining a class, the teacher's classes, runs and challenges.

import { request } from "./api.js";

const enc = encodeURIComponent;

export const classApi = {
  me: () => request("GET", "/api/me"),
  join: (code, name) => request("POST", "/api/join", { code, name }),
  leave: () => request("POST", "/api/leave"),
  unlock: (key) => request("POST", "/api/teacher", { key }),
  myRuns: () => request("GET", "/api/runs"),
  classes: () => request("GET", "/api/classes"),
  getClass: (id) => request("GET", `/api/classes/${enc(id)}`),
  createClass: (name, settings) => request("POST", "/api/classes", { name, settings }),
  patchClass: (id, body) => request("PATCH", `/api/classes/${enc(id)}`, body),
  classRuns: (id) => request("GET", `/api/classes/${enc(id)}/runs`),
  createChallenge: (id, body) => request("POST", `/api/classes/${enc(id)}/challenges`, body),
  challenges: (id) => request("GET", `/api/classes/${enc(id)}/challenges`),
  leaderboard: (id) => request("GET", `/api/challenges/${enc(id)}/leaderboard`),
};
