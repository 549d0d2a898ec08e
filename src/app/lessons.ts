/** The offline demo's lessons, for the UI to list (loaded on demand: it brings the scripts). */
export { LESSONS, type LessonInfo } from '../model/scripted/lessons/index';
