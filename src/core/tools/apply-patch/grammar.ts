/**
 * Lark grammar for the custom-tool form of apply_patch: constrained sampling keeps the
 * model's output inside the canonical format. The parser (parse.ts) accepts more than this
 * (heredoc wrappers, a missing first `@@`, CRLF), so the grammar is the stricter of the two.
 */
export const APPLY_PATCH_GRAMMAR = String.raw`start: begin_marker operation+ end_marker

begin_marker: "*** Begin Patch" NEWLINE
end_marker: "*** End Patch" NEWLINE?

operation: add_file | delete_file | update_file

add_file: "*** Add File: " PATH NEWLINE added_line*
delete_file: "*** Delete File: " PATH NEWLINE
update_file: "*** Update File: " PATH NEWLINE (move_to hunk* | hunk+)
move_to: "*** Move to: " PATH NEWLINE

hunk: hunk_header hunk_line+ end_of_file?
hunk_header: "@@" NEWLINE | "@@ " TEXT NEWLINE
hunk_line: context_line | removed_line | added_line
context_line: " " TEXT? NEWLINE
removed_line: "-" TEXT? NEWLINE
added_line: "+" TEXT? NEWLINE
end_of_file: "*** End of File" NEWLINE

PATH: /[^\r\n]+/
TEXT: /[^\r\n]+/
NEWLINE: /\r?\n/
`;
