; User-mode code for the self-test kernels (copied into a user page and run in ring 3).
; Position independent; entered with nothing but RIP and RSP set.
bits 64
section .rodata
global selftest_user_code, selftest_user_code_end

selftest_user_code:
    ; 1. a system call round trip: the kernel doubles MR0..MR8 and returns.
    mov rdi, -1
    mov rsi, 1
    mov rdx, 2
    mov r8, 3
    mov r9, 4
    mov r10, 5
    mov r12, 6
    mov r13, 7
    mov r14, 8
    mov r15, 9
    mov rbx, 0x5A5A5A5A                     ; callee state the kernel must keep
    syscall
    mov rdi, -2                             ; 2. report: RBX intact, results in MRs
    syscall
    ; 3. the selected fault (RAX selects it, set by the kernel before entry)
    cmp rax, 1
    je .privileged
    cmp rax, 2
    je .write_code
    cmp rax, 3
    je .spin
    cmp rax, 4
    je .kernel_read
    ud2
.privileged:
    hlt
.write_code:
    lea rcx, [rel selftest_user_code]
    mov byte [rcx], 0                       ; code pages are mapped read-only
.spin:
    inc rbx
    jmp .spin
.kernel_read:
    mov rcx, 0xffff800000100000             ; the direct map: present, never user-accessible
    mov rax, [rcx]
    ud2
selftest_user_code_end:
