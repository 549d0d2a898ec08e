/** Lesson 6's prompt and the request the app reorders for it; small, so the chat can know it without loading the lessons. */
export const TOOL_ORDER_PROMPT = 'Lesson 6: show me why the order of the tools matters (the prompt cache).';
/** The request of the lesson's turn (1-based) whose tools are listed in reverse. */
export const TOOL_ORDER_REVERSED_REQUEST = 2;
