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
; `cld` here). Builds the same frame an interrupt from user mode would, in the current context,
; with vector VECTOR_SYSCALL: the mark that lets the way out use sysretq.
syscall_entry:
    mov [rel syscall_user_rsp], rsp
    mov rsp, [rel arch_tss + TSS_RSP0]      ; just past the current context's frame
    push SEL_USER_DATA
    push qword [rel syscall_user_rsp]
    push r11
    push SEL_USER_CODE
    push rcx
    push 0
    push VECTOR_SYSCALL
    PUSH_GPRS
    ; The IPC fast path's filter (core/ipc.h: ipc_fastpath_candidate) on the registers as
    ; they still are: rdi the type, rdx MR1 the operation, r9 MR3 the info word. The
    ; operation picks the function, so none tests it again; MR3 within the registers picks
    ; the register-only ones. Everything else goes through kernel_syscall's dispatch, and so
    ; does a call a fast function returns from (it returns only when it cannot take the
    ; call, having changed nothing; the context is found again from TSS.rsp0).
    cmp rdi, SYSCALL_CAPABILITY_CALL
    lea rdi, [rsp - CONTEXT_FRAME]          ; the context whose frame this is (no flags)
    mov rsp, boot_stack_top
    jne .general
    cmp rdx, IPC_PORT_CALL
    je .call
    cmp rdx, IPC_PORT_REPLY_RECEIVE
    jne .general
    cmp r9, IPC_REGISTER_WORDS
    ja .extras
    call kernel_syscall_fast_reply_receive
    jmp .fallback
.call:
    cmp r9, IPC_REGISTER_WORDS
    ja .extras
    call kernel_syscall_fast_call
    jmp .fallback
.extras:                                    ; words in the IPC buffers, or a capability
    cmp r9, IPC_FASTPATH_INFO_MAX
    ja .general
    call kernel_syscall_fast_extras         ; does not return
    ud2
.fallback:
    mov rdi, [rel arch_tss + TSS_RSP0]
    sub rdi, CONTEXT_END
.general:
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
