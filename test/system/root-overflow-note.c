/*
 * The root Node note (a9n/boot.h) and Alpha's layout (alpha_spec.h) of a system that needs
 * almost all of the largest root Node after the kernel's boot capabilities: capgen's checks
 * pass (they leave ALPHA_BOOT_RESERVE for what only the kernel can count), but the boot
 * capabilities of this machine leave less. The kernel makes its largest Node, and Alpha must
 * stop before it makes anything, naming the slots (system_root_node_overflow_stops).
 */
#include <a9n/boot.h>
#include <alpha_spec.h>

__attribute__((section(".note.a9n"), used)) static const struct a9n_root_note root_note = {
    4, 8, A9N_NOTE_ROOT_SLOTS, A9N_NOTE_OWNER, 65508};
const struct alpha_layout alpha_layout = {65300, 200};
