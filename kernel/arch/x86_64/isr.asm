; Trap entry stubs. Each vector pushes a dummy error code when the CPU does not push one,
; then its vector number, so every trap reaches arch_trap() with the same frame
; (struct trap_frame in arch.h).

extern arch_trap

section .text

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

; Vectors with a CPU-pushed error code: 8, 10-14, 17, 21, 29, 30.
%assign v 0
%rep 32
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
    TRAP_ERR v
%else
    TRAP_NOERR v
%endif
%assign v v + 1
%endrep

trap_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp
    cld
    call arch_trap
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                             ; vector and error code
    iretq

section .rodata
global trap_stub_table
trap_stub_table:
%assign v 0
%rep 32
    dq trap_stub_ %+ v
%assign v v + 1
%endrep
