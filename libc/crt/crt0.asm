; The first instructions of every KOITO program: the creator has set RSP and RIP, and RDI
; to one word for the program (the first process: the address of its boot info). Keeps that
; word in koito_start_argument and goes on in C: koito_start (libc/koito/src/start.c) runs
; the program's setup, main, and exit with main's status. It never returns.
bits 64
section .text.start
global _start, koito_start_argument
extern koito_start
_start:
    mov [rel koito_start_argument], rdi
    xor ebp, ebp
    and rsp, -16
    call koito_start
.hang:
    ud2                         ; koito_start does not return; a fault, never a spin
    jmp .hang

section .bss
align 8
koito_start_argument: resq 1
