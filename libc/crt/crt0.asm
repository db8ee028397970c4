; The first instructions of every KOITO program: the creator has set RSP and RIP, and RDI
; to one word for the program (the first process: the address of its boot info). Keeps that
; word in koito_start_argument, calls main() and hands its status to _exit().
bits 64
section .text.start
global _start, koito_start_argument
extern main, _exit
_start:
    mov [rel koito_start_argument], rdi
    xor ebp, ebp
    and rsp, -16
    call main
    mov edi, eax
    call _exit
.hang:
    jmp .hang

section .bss
align 8
koito_start_argument: resq 1
