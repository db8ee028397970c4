; The first instructions of every KOITO program: the creator has set RSP (16-byte aligned)
; and RIP; everything else is zero. Calls main() and hands its status to _exit().
bits 64
section .text.start
global _start
extern main, _exit
_start:
    xor ebp, ebp
    and rsp, -16
    call main
    mov edi, eax
    call _exit
.hang:
    jmp .hang
