; A9N x86_64 entry: GRUB2 hands over in 32-bit protected mode (multiboot2). This file checks
; the CPU, builds just enough paging for long mode (identity + direct map + higher half of
; the first 4 GiB, in 2 MiB pages), enters 64-bit mode and calls kernel_main in the higher
; half. The C code then replaces these tables with the real ones (paging.c).

KERNEL_VMA       equ 0xFFFFFFFF80000000
MB2_MAGIC        equ 0xE85250D6
MB2_BOOT_MAGIC   equ 0x36D76289
COM1             equ 0x3F8
DEBUG_EXIT_PORT  equ 0xF4
DEBUG_EXIT_FAIL  equ 0x11

section .multiboot2 progbits alloc noexec nowrite align=8
mb2_header:
    dd MB2_MAGIC
    dd 0                                    ; i386 protected mode
    dd mb2_header_end - mb2_header
    dd 0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
    align 8
    dw 0, 0                                 ; end tag
    dd 8
mb2_header_end:

section .boot.bss nobits alloc write align=4096
boot_pml4:      resb 4096
boot_pdpt_low:  resb 4096                   ; identity and direct map: 0..4 GiB
boot_pdpt_high: resb 4096                   ; -2 GiB: 0..2 GiB
boot_pd:        resb 4096 * 4               ; 2048 x 2 MiB pages = 4 GiB
boot_stack32:   resb 4096
boot_stack32_top:
boot_entry_tsc: resq 1                      ; the timestamp counter at the first instruction

section .boot.data progbits alloc write noexec align=16
boot_gdt:
    dq 0
    dq 0x00AF9A000000FFFF                   ; 0x08: 64-bit code
    dq 0x00CF92000000FFFF                   ; 0x10: data
boot_gdt_end:
boot_gdt_ptr:
    dw boot_gdt_end - boot_gdt - 1
    dd boot_gdt
no_mb2_msg:  db "a9n: not started by a multiboot2 loader", 13, 10, 0
no_lm_msg:   db "a9n: this CPU lacks long mode or NX; A9N needs x86_64", 13, 10, 0

section .boot.text progbits alloc exec nowrite align=16
bits 32
global _start
_start:
    cli
    cld
    mov esp, boot_stack32_top
    mov edi, eax                            ; keep the loader's magic and info pointer
    mov esi, ebx
    rdtsc                                   ; kernel entry: where the boot rows start
    mov [boot_entry_tsc], eax
    mov [boot_entry_tsc + 4], edx

    cmp edi, MB2_BOOT_MAGIC
    jne .no_multiboot2

    mov eax, 0x80000000                     ; long mode and NX are required
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz .no_long_mode
    test edx, 1 << 20
    jz .no_long_mode

    ; 2048 large pages covering 0..4 GiB (present, writable, 2 MiB).
    xor ecx, ecx
.fill_pd:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83
    mov [boot_pd + ecx * 8], eax
    mov dword [boot_pd + ecx * 8 + 4], 0
    inc ecx
    cmp ecx, 2048
    jne .fill_pd

    mov dword [boot_pdpt_low + 0 * 8], boot_pd + 0 * 4096 + 3
    mov dword [boot_pdpt_low + 1 * 8], boot_pd + 1 * 4096 + 3
    mov dword [boot_pdpt_low + 2 * 8], boot_pd + 2 * 4096 + 3
    mov dword [boot_pdpt_low + 3 * 8], boot_pd + 3 * 4096 + 3
    mov dword [boot_pdpt_high + 510 * 8], boot_pd + 0 * 4096 + 3
    mov dword [boot_pdpt_high + 511 * 8], boot_pd + 1 * 4096 + 3
    mov dword [boot_pml4 + 0 * 8], boot_pdpt_low + 3     ; identity, for this file only
    mov dword [boot_pml4 + 256 * 8], boot_pdpt_low + 3   ; direct map
    mov dword [boot_pml4 + 511 * 8], boot_pdpt_high + 3  ; kernel image

    mov eax, boot_pml4
    mov cr3, eax
    mov eax, cr4
    or eax, 1 << 5                          ; PAE
    mov cr4, eax
    mov ecx, 0xC0000080                     ; EFER: long mode enable, no-execute enable
    rdmsr
    or eax, (1 << 8) | (1 << 11)
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16)           ; paging, write protect in ring 0
    mov cr0, eax
    lgdt [boot_gdt_ptr]
    jmp 0x08:long_mode_low

.no_multiboot2:
    mov ebx, no_mb2_msg
    jmp boot_fail
.no_long_mode:
    mov ebx, no_lm_msg
    jmp boot_fail

; Prints the NUL-terminated string at ebx on COM1 (no init needed under QEMU or after GRUB's
; own serial setup) and leaves with the failure verdict.
boot_fail:
    mov dx, COM1
.next:
    mov al, [ebx]
    test al, al
    jz .out
    out dx, al
    inc ebx
    jmp .next
.out:
    mov dx, DEBUG_EXIT_PORT
    mov eax, DEBUG_EXIT_FAIL
    out dx, eax
.halt:
    hlt
    jmp .halt

bits 64
long_mode_low:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rax, long_mode_high
    jmp rax

section .text
extern arch_entry
long_mode_high:
    mov rsp, boot_stack_top
    xor ebp, ebp
    mov edi, edi                            ; upper halves are undefined after the switch
    mov esi, esi
    mov rdx, [abs boot_entry_tsc]           ; the identity map still covers it
    call arch_entry
.hang:
    cli
    hlt
    jmp .hang

section .bss
align 16
global boot_stack_top
boot_stack:     resb 16384
boot_stack_top:
