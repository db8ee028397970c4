; Every way into the kernel: CPU exceptions and interrupts (256 vectors) and `syscall`.
;
; From user mode, registers are saved straight into the current process's context: the CPU
; pushes its interrupt frame at TSS.rsp0, which points just past that context's frame, and
; the stubs push the rest (struct hal_frame in arch/context.h), so nothing is copied. Then
; the stack moves to the kernel stack, which is empty at every entry: A9N never returns
; along the kernel stack, it resumes a context (hal_context_resume_rsp).
; From kernel mode (a kernel fault, or an interrupt while idle) the frame is on the kernel
; stack and the handler returns with iretq.

extern arch_trap_user, arch_trap_kernel, kernel_syscall, kernel_syscall_fast_call
extern kernel_syscall_fast_reply_receive, kernel_syscall_fast_extras
extern kernel_syscall_light, kernel_syscall_general
extern boot_stack_top
global trap_stub_table, syscall_entry, hal_context_resume_rsp
extern arch_tss

SEL_USER_DATA   equ 0x18 | 3
SEL_USER_CODE   equ 0x20 | 3
VECTOR_SYSCALL  equ 0x100
FRAME_CS        equ 18 * 8                  ; offset of cs in struct hal_frame
FRAME_VECTOR    equ 15 * 8                  ; offset of vector in struct hal_frame
CONTEXT_FRAME   equ 0x210                   ; offset of the frame in its context (trap.c)
TSS_RSP0        equ 4                       ; offset of rsp0 in the TSS (gdt.c)
CONTEXT_END     equ CONTEXT_FRAME + 22 * 8  ; rsp0 - the context: the frame's end (trap.c)
FRAME_SIZE      equ 22 * 8
; Each slot of struct hal_frame from TSS.rsp0 (the frame's end), for the light path,
; which stores with mov instead of push; trap.c asserts them.
F_MR0           equ 0 * 8 - FRAME_SIZE
F_MR1           equ 1 * 8 - FRAME_SIZE
F_MR2           equ 2 * 8 - FRAME_SIZE
F_MR3           equ 3 * 8 - FRAME_SIZE
F_MR4           equ 4 * 8 - FRAME_SIZE
F_MR5           equ 5 * 8 - FRAME_SIZE
F_MR6           equ 6 * 8 - FRAME_SIZE
F_MR7           equ 7 * 8 - FRAME_SIZE
F_MR8           equ 8 * 8 - FRAME_SIZE
F_RDI           equ 9 * 8 - FRAME_SIZE
F_RAX           equ 10 * 8 - FRAME_SIZE
F_RBX           equ 11 * 8 - FRAME_SIZE
F_RCX           equ 12 * 8 - FRAME_SIZE
F_RBP           equ 13 * 8 - FRAME_SIZE
F_R11           equ 14 * 8 - FRAME_SIZE
F_VECTOR        equ 15 * 8 - FRAME_SIZE
F_ERROR         equ 16 * 8 - FRAME_SIZE
F_RIP           equ 17 * 8 - FRAME_SIZE
F_CS            equ 18 * 8 - FRAME_SIZE
F_RFLAGS        equ 19 * 8 - FRAME_SIZE
F_RSP           equ 20 * 8 - FRAME_SIZE
F_SS            equ 21 * 8 - FRAME_SIZE
F_CONTEXT       equ -FRAME_SIZE - CONTEXT_FRAME ; the context, from its frame's end
; The ABI numbers the fast-path filter needs (a9n/message.h, a9n/operation.h, a9n/ipc.h;
; trap.c asserts they agree): a capability call, CALL or REPLY_RECEIVE, and MR3 (the info
; word) a length and at most one capability, no flag (core/ipc.h: IPC_FASTPATH_INFO_MAX).
SYSCALL_CAPABILITY_CALL equ -1
IPC_PORT_CALL           equ 3
IPC_PORT_REPLY_RECEIVE  equ 5
IPC_FASTPATH_INFO_MAX   equ 0x1ff
IPC_REGISTER_WORDS      equ 5

section .bss
align 16
syscall_user_rsp:   resq 1

section .text

; struct hal_frame's register part, pushed from its end: the message registers (MR8..MR0)
; go last so they sit first and in order.
%macro PUSH_GPRS 0
    push r11
    push rbp
    push rcx
    push rbx
    push rax
    push rdi
    push r15
    push r14
    push r13
    push r12
    push r10
    push r9
    push r8
    push rdx
    push rsi
%endmacro

; The first twelve pops, shared by POP_GPRS and the sysretq exit (which loads rcx, rbp and
; r11 its own way).
%macro POP_GPRS_HEAD 0
    pop rsi
    pop rdx
    pop r8
    pop r9
    pop r10
    pop r12
    pop r13
    pop r14
    pop r15
    pop rdi
    pop rax
    pop rbx
%endmacro

%macro POP_GPRS 0
    POP_GPRS_HEAD
    pop rcx
    pop rbp
    pop r11
%endmacro

; The whole frame of a `syscall`, pushed from TSS.rsp0 down (rsp there, the user's
; rsp in syscall_user_rsp).
%macro PUSH_FRAME 0
    push SEL_USER_DATA
    push qword [rel syscall_user_rsp]
    push r11
    push SEL_USER_CODE
    push rcx
    push 0
    push VECTOR_SYSCALL
    PUSH_GPRS
%endmacro

%macro TRAP_NOERR 1
trap_stub_%1:
    push 0
    push %1
    jmp trap_common
%endmacro

%macro TRAP_ERR 1
trap_stub_%1:
    push %1
    jmp trap_common
%endmacro

; NMI, double fault and machine check arrive on their own IST stacks, whatever the mode:
; their frame is never inside a context, so they take the kernel path and stop the system.
%macro TRAP_FATAL 1
trap_stub_%1:
%if %1 != 8
    push 0
%endif
    push %1
    PUSH_GPRS
    cld
    mov rdi, rsp
    call arch_trap_kernel
    ud2
%endmacro

; Vectors with a CPU-pushed error code: 8, 10-14, 17, 21, 29, 30.
%assign v 0
%rep 256
%if v == 2 || v == 8 || v == 18
    TRAP_FATAL v
%elif (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
    TRAP_ERR v
%else
    TRAP_NOERR v
%endif
%assign v v + 1
%endrep

trap_common:
    PUSH_GPRS
    cld
    mov rdi, rsp
    test byte [rsp + FRAME_CS], 3
    jz .from_kernel
    mov rsp, boot_stack_top
    call arch_trap_user                     ; does not return
    ud2
.from_kernel:
    call arch_trap_kernel                   ; returns only for interrupts taken while idle
    POP_GPRS
    add rsp, 16                             ; vector and error code
    iretq

; syscall: rcx = user rip, r11 = user rflags, interrupts off and DF clear (SFMASK: so no
; `cld` here). Three ways in, picked on the registers as they still are (rdi the type, rdx
; MR1 the operation, r9 MR3 the info word):
; - an IPC fast-path candidate (core/ipc.h: ipc_fastpath_candidate): the full frame, then
;   kernel_syscall_fast_call, _reply_receive or _extras;
; - any other capability call: the light path (below);
; - anything else (yield, an unknown type): the full frame, then kernel_syscall.
; The full frame is the one an interrupt from user mode would build, in the current context,
; with vector VECTOR_SYSCALL: the mark that lets the way out use sysretq.
syscall_entry:
    mov [rel syscall_user_rsp], rsp
    mov rsp, [rel arch_tss + TSS_RSP0]      ; just past the current context's frame
    cmp rdi, SYSCALL_CAPABILITY_CALL
    jne .full
    cmp rdx, IPC_PORT_CALL
    je .call_candidate
    cmp rdx, IPC_PORT_REPLY_RECEIVE
    je .reply_receive_candidate
; The light path. Only the registers C code may clobber are saved, into their places in the
; frame (rdi is known: the capability-call type); rbx, rbp and r12-r15 stay in the CPU, as
; the C code preserves them. kernel_syscall_light (core/run.c) answers what it can with no
; more than MR0..MR4 (a call it refuses in decode, the non-blocking operations of some
; types) and returns 0: only those registers come back, and sysretq. Anything else returns
; non-zero, having changed nothing of the caller's, or with nothing left to do but schedule;
; then the rest of the frame is saved, and kernel_syscall_general takes over with that value.
; Until then the frame's other slots hold older values: nothing reads them, as the caller is
; running (no other code looks at a running process's frame) and the light path reads only
; the registers it saved.
.light:
    mov [rsp + F_MR0], rsi
    mov [rsp + F_MR1], rdx
    mov [rsp + F_MR2], r8
    mov [rsp + F_MR3], r9
    mov [rsp + F_MR4], r10
    mov [rsp + F_RAX], rax
    mov [rsp + F_RCX], rcx
    mov [rsp + F_R11], r11
    lea rdi, [rsp + F_CONTEXT]
    mov rsp, boot_stack_top
    call kernel_syscall_light
    mov rsp, [rel arch_tss + TSS_RSP0]
    test rax, rax
    jnz .light_full
    mov rsi, [rsp + F_MR0]
    mov rdx, [rsp + F_MR1]
    mov r8, [rsp + F_MR2]
    mov r9, [rsp + F_MR3]
    mov r10, [rsp + F_MR4]
    mov rax, [rsp + F_RAX]
    mov rcx, [rsp + F_RCX]                  ; the return address and flags, for sysretq
    mov r11, [rsp + F_R11]
    or rdi, SYSCALL_CAPABILITY_CALL         ; = -1, the caller's rdi
    mov rsp, [rel syscall_user_rsp]
    o64 sysret
.light_full:                                ; the rest of the frame, as the full entry saves it
    mov rcx, [rsp + F_RCX]
    mov r11, [rsp + F_R11]
    mov rdx, [rel syscall_user_rsp]
    mov qword [rsp + F_SS], SEL_USER_DATA
    mov [rsp + F_RSP], rdx
    mov [rsp + F_RFLAGS], r11
    mov qword [rsp + F_CS], SEL_USER_CODE
    mov [rsp + F_RIP], rcx
    mov qword [rsp + F_ERROR], 0
    mov qword [rsp + F_VECTOR], VECTOR_SYSCALL
    mov [rsp + F_RBP], rbp
    mov [rsp + F_RBX], rbx
    mov qword [rsp + F_RDI], SYSCALL_CAPABILITY_CALL
    mov [rsp + F_MR8], r15
    mov [rsp + F_MR7], r14
    mov [rsp + F_MR6], r13
    mov [rsp + F_MR5], r12
    lea rdi, [rsp + F_CONTEXT]
    mov rsi, rax
    mov rsp, boot_stack_top
    call kernel_syscall_general             ; does not return
    ud2
; The IPC fast path's filter (core/ipc.h: ipc_fastpath_candidate) on the registers as they
; still are: the operation picks the function, so none tests it again; MR3 within the
; registers picks the register-only ones. A CALL or REPLY_RECEIVE the fast path cannot take
; by its info word goes the light way (which passes it on to the general path). A
; register-only fast function returns only when it cannot take the call, having changed
; nothing: the context is found again from TSS.rsp0 and kernel_syscall's dispatch goes on.
.call_candidate:
    cmp r9, IPC_FASTPATH_INFO_MAX
    ja .light
    PUSH_FRAME
    lea rdi, [rsp - CONTEXT_FRAME]          ; the context whose frame this is
    mov rsp, boot_stack_top
    cmp r9, IPC_REGISTER_WORDS
    ja .extras
    call kernel_syscall_fast_call
    jmp .fallback
.reply_receive_candidate:
    cmp r9, IPC_FASTPATH_INFO_MAX
    ja .light
    PUSH_FRAME
    lea rdi, [rsp - CONTEXT_FRAME]
    mov rsp, boot_stack_top
    cmp r9, IPC_REGISTER_WORDS
    ja .extras
    call kernel_syscall_fast_reply_receive
    jmp .fallback
.extras:                                    ; words in the IPC buffers, or a capability
    call kernel_syscall_fast_extras         ; does not return
    ud2
.fallback:
    mov rdi, [rel arch_tss + TSS_RSP0]
    sub rdi, CONTEXT_END
    call kernel_syscall                     ; does not return
    ud2
.full:
    PUSH_FRAME
    lea rdi, [rsp - CONTEXT_FRAME]
    mov rsp, boot_stack_top
    call kernel_syscall                     ; does not return
    ud2

; hal_context_resume_rsp: enter user mode with the frame rsp points to (hal_context_resume
; loads it and jumps here).
; A frame that `syscall` saved (vector VECTOR_SYSCALL) leaves by sysretq, much cheaper than
; iretq on hardware (two instructions more under icount, for the test). It is safe because:
; - its rcx and r11 are what the syscall instruction put there (the return address and the
;   flags): sysretq reloads them from rip and rflags, which is all they held. Any change of
;   the registers from outside (hal_context_set) clears the mark, so iretq restores them all;
; - rip is canonical: every user address is below USER_TOP = 2^47 - 4 KiB (the last page
;   below the hole cannot be mapped), so even a syscall in the last mappable bytes saves a
;   canonical address, and hal_context_set refuses anything else (sysretq to a
;   non-canonical rip would fault in ring 0 on the user's stack on Intel CPUs);
; - interrupts stay off until sysretq loads rflags (NMIs have their own IST stack).
hal_context_resume_rsp:
    cmp qword [rsp + FRAME_VECTOR], VECTOR_SYSCALL
    jne .iret
    POP_GPRS_HEAD
    mov rbp, [rsp + 8]                      ; rsp is at rcx now: rbp, r11, vector, error, rip,
    mov rcx, [rsp + 40]                     ; cs, rflags, rsp follow it
    mov r11, [rsp + 56]
    mov rsp, [rsp + 64]
    o64 sysret
.iret:
    POP_GPRS
    add rsp, 16
    iretq

section .rodata
trap_stub_table:
%assign v 0
%rep 256
    dq trap_stub_ %+ v
%assign v v + 1
%endrep
